import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../main/contract.ts';
import { dictionaries, interpolate, type Dictionary } from '../../renderer/src/i18n/index.ts';

/** Every leaf as "a.b.c" → text. */
function flatten(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      for (const [path, leaf] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const kkKeys = flatten(dictionaries.kk);

describe('dictionaries', () => {
  it('kk has over a hundred texts, all non-empty strings', () => {
    expect(kkKeys.size).toBeGreaterThan(100);
    for (const [key, text] of kkKeys) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`${lang} has exactly kk's keys, non-empty, with the same placeholders`, () => {
      const other = flatten(dictionaries[lang]);
      expect([...other.keys()].sort()).toEqual([...kkKeys.keys()].sort());
      for (const [key, text] of other) {
        expect(typeof text, key).toBe('string');
        expect((text as string).trim(), key).not.toBe('');
        expect(placeholders(text as string), key).toEqual(placeholders(kkKeys.get(key) as string));
      }
    });
  }

  it('uses the seed\'s Kazakh wording in the key dialog', () => {
    expect(dictionaries.kk.keyDialog.refresh).toBe('Кілттер тізімін жаңарту');
    expect(dictionaries.kk.keyDialog.sign).toBe('Қол қою');
    expect(dictionaries.kk.keyDialog.cancel).toBe('Болдырмау');
    expect(dictionaries.kk.keyDialog.password).toContain('құпиясөз');
    expect(dictionaries.ru.keyDialog.windowTitle).toBe('Формирование ЭЦП');
    expect(dictionaries.ru.keyDialog.authTitle).toBe('Аутентификация');
    expect(dictionaries.ru.keyDialog.refresh).toBe('Обновить список ключей');
  });
});

describe('error texts', () => {
  const portalCodes = [
    'AUTH_BAD_SIGNATURE',
    'AUTH_CHALLENGE_REPLAYED',
    'AUTH_CHALLENGE_EXPIRED',
    'AUTH_CHALLENGE_UNKNOWN',
    'AUTH_WRONG_ORIGIN',
    'AUTH_TIMESTAMP_OUT_OF_RANGE',
    'AUTH_UNTRUSTED',
    'AUTH_CERT_EXPIRED',
    'AUTH_CERT_NOT_YET_VALID',
    'AUTH_CERT_REVOKED',
    'AUTH_WRONG_PURPOSE',
    'AUTH_REVOCATION_UNKNOWN',
    'AUTH_NOT_INDIVIDUAL',
  ];
  const mainCodes = [...ErrorCode.options, 'CERTIFICATE_REVOKED', 'CERTIFICATE_UNTRUSTED', 'REVOCATION_UNKNOWN'];

  it.each([...mainCodes, ...portalCodes])('%s has a title and what to do in every language', (code) => {
    for (const dict of Object.values(dictionaries) as Dictionary[]) {
      const text = (dict.errors as Record<string, { title: string; action: string } | undefined>)[code];
      expect(text?.title, code).toBeTruthy();
      expect(text?.action, code).toBeTruthy();
      expect(text?.title).not.toBe(text?.action);
    }
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Қош келдіңіз, {name}!', { name: 'ТЕСТОВ ТЕСТ' })).toBe('Қош келдіңіз, ТЕСТОВ ТЕСТ!');
    expect(interpolate('{count} / {total}', { count: 3 })).toBe('3 / {total}');
  });

  it('does not treat replacement patterns in values specially', () => {
    expect(interpolate('{name}', { name: '$& $1' })).toBe('$& $1');
  });
});
