/** Қазақша / Русский / English: always reachable, also from inside the key dialog. */
import { languageNames, languageTags, type Language } from '../i18n/index.ts';
import { useI18n } from '../i18n/context.tsx';

const LANGUAGES: readonly Language[] = ['kk', 'ru', 'en'];

export function LanguageSwitcher() {
  const { t, language, setLanguage, languages = LANGUAGES } = useI18n();
  if (languages.length < 2) return null;
  return (
    <div className="language-switcher" role="group" aria-label={t.app.languageLabel}>
      {languages.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={languageTags[lang]}
          aria-pressed={lang === language}
          disabled={!setLanguage}
          onClick={() => setLanguage?.(lang)}
          data-lang={lang}
        >
          {languageNames[lang]}
        </button>
      ))}
    </div>
  );
}
