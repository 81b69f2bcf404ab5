/** The cabinet's update banner (#16) as first drawn, in each language (react-dom/server, no DOM). */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { UpdateBanner, UpdateRefusedBanner } from '../../renderer/src/features/updates/UpdateBanner.tsx';
import { I18nContext } from '../../renderer/src/i18n/context.tsx';
import { dictionaries, type Language } from '../../renderer/src/i18n/index.ts';

const banner = (language: Language) =>
  renderToStaticMarkup(
    <I18nContext.Provider value={{ language, t: dictionaries[language], setLanguage: null }}>
      <UpdateBanner version="1.2.0" onInstall={async () => null} />
    </I18nContext.Provider>,
  );

describe('the update banner', () => {
  it.each(['kk', 'ru', 'en'] as const)('%s: says which version is ready, offers to restart and install or later, without blocking', (language) => {
    const html = banner(language);
    const t = dictionaries[language].updates;
    expect(html).toContain('role="status"');
    expect(html).toContain('1.2.0');
    expect(html).not.toContain('{version}');
    expect(html).toContain(`>${t.install}</button>`);
    expect(html).toContain(`>${t.later}</button>`);
    expect(html).not.toMatch(/dialog|aria-modal/);
  });

  it('each language its own words', () => {
    expect(new Set((['kk', 'ru', 'en'] as const).map((l) => dictionaries[l].updates.install)).size).toBe(3);
  });
});

describe('the banner for an update main refused (#16)', () => {
  it.each(['kk', 'ru', 'en'] as const)('%s: which version was not installed, why, what to do', (language) => {
    const dict = dictionaries[language];
    for (const code of ['UPDATE_SIGNATURE_MISSING', 'UPDATE_SIGNATURE_INVALID'] as const) {
      const html = renderToStaticMarkup(
        <I18nContext.Provider value={{ language, t: dict, setLanguage: null }}>
          <UpdateRefusedBanner refused={{ version: '1.2.0', code, reason: code === 'UPDATE_SIGNATURE_MISSING' ? 'missing' : 'mismatch' }} />
        </I18nContext.Provider>,
      );
      expect(html).toContain('role="status"');
      expect(html).toContain(`data-error-code="${code}"`);
      expect(html).toContain(dict.updates.refused.replace('{version}', '1.2.0'));
      expect(html).toContain(dict.errors[code].title);
      expect(html).toContain(dict.errors[code].action);
      expect(html).toContain(`>${dict.updates.dismiss}</button>`);
      expect(html).not.toContain(dict.updates.install);
    }
  });
});
