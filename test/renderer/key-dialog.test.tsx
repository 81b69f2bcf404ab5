/**
 * The key dialog as first drawn (react-dom/server, no DOM: effects do not run): the storages the
 * administrator's policy allows (file only, token only, both), and a token on a reader with a
 * keypad, whose PIN is typed there: no PIN field, a line saying so, in each language.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JoldamaApi } from '../../contract/contract.ts';
import { ApiContext } from '../../renderer/src/app/api.tsx';
import { KeyDialog } from '../../renderer/src/features/sign/KeyDialog.tsx';
import { KeySourceForm } from '../../renderer/src/features/sign/KeySourceForm.tsx';
import { SigningContext } from '../../renderer/src/features/sign/signing-context.ts';
import { I18nContext } from '../../renderer/src/i18n/context.tsx';
import { dictionaries, type Language } from '../../renderer/src/i18n/index.ts';

const noApi = new Proxy({}, { get: () => async () => ({ ok: false, error: { code: 'INTERNAL_ERROR' } }) }) as JoldamaApi;

function inLanguage(language: Language, children: React.ReactNode): string {
  return renderToStaticMarkup(
    <I18nContext.Provider value={{ language, t: dictionaries[language], setLanguage: null }}>
      <QueryClientProvider client={new QueryClient()}>
        <ApiContext.Provider value={noApi}>{children}</ApiContext.Provider>
      </QueryClientProvider>
    </I18nContext.Provider>,
  );
}

function dialog(keySources: readonly ('file' | 'token')[]): string {
  return inLanguage(
    'en',
    <SigningContext.Provider value={{ demoKeysFolder: undefined, canPickFile: false, initialPath: null, rememberPath: null, onTokensChanged: null, keySources }}>
      <KeyDialog purpose="AUTH" canPickFile={false} initialPath={null} rememberPath={null} onSign={async () => null} onCancel={() => undefined} />
    </SigningContext.Provider>,
  );
}

/** The storage select's options, as [value, label, selected]. */
function storages(html: string): [string, string, boolean][] {
  const select = /<select[^>]*name="storage"[^>]*>(.*?)<\/select>/s.exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="(\w+)"( selected="")?>([^<]*)<\/option>/g)].map((m) => [m[1]!, m[3]!, m[2] !== undefined]);
}

const en = dictionaries.en.keyDialog;

describe('the key storages the policy allows', () => {
  it('both: the key file first (chosen), then the token; the file path field shown', () => {
    const html = dialog(['file', 'token']);
    expect(storages(html)).toEqual([
      ['pc', en.storagePc, true],
      ['token', en.storageToken, false],
    ]);
    expect(html).toContain('name="path"');
  });

  it('key files only: no token storage offered', () => {
    const html = dialog(['file']);
    expect(storages(html)).toEqual([['pc', en.storagePc, true]]);
    expect(html).toContain('name="path"');
  });

  it('tokens only (a kiosk): only the token storage, chosen at once, with no file path and a PIN field', () => {
    const html = dialog(['token']);
    expect(storages(html)).toEqual([['token', en.storageToken, true]]);
    expect(html).not.toContain('name="path"');
    expect(html).toContain('name="password"');
    expect(html).toContain(en.showPin);
  });
});

describe('a token on a reader with a keypad', () => {
  const form = (language: Language, pinPad: boolean) =>
    inLanguage(
      language,
      <KeySourceForm
        storages={['pc', 'token']}
        storage="token"
        onStorage={() => undefined}
        path=""
        onPath={() => undefined}
        password=""
        onPassword={() => undefined}
        busy={false}
        onRefresh={() => undefined}
        onPickFile={null}
        demoKeysFolder={undefined}
        passwordEmpty={false}
        pathRef={{ current: null }}
        passwordRef={{ current: null }}
        pinPad={pinPad}
      />,
    );

  it.each(['kk', 'ru', 'en'] as const)('%s: says to enter the PIN on the reader, with no PIN field', (language) => {
    const html = form(language, true);
    expect(html).toContain(dictionaries[language].keyDialog.pinOnReader);
    expect(html).not.toContain('name="password"');
    // Without a keypad the PIN is typed here.
    const typed = form(language, false);
    expect(typed).toContain('name="password"');
    expect(typed).not.toContain(dictionaries[language].keyDialog.pinOnReader);
  });
});
