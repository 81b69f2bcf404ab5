/** The app bar: name and icon, demo badge, the language switcher, and (kiosk mode) "End session". */
import iconUrl from '../../../resources/icon.svg?url';
import { useI18n } from '../i18n/context.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

export function Header({ demo, onEndSession }: { demo: boolean; onEndSession?: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <img src={iconUrl} alt="" className="brand-icon" width={40} height={40} />
        <div>
          <p className="brand-name">{t.app.name}</p>
          <p className="brand-tagline">{t.app.tagline}</p>
        </div>
        {demo && <span className="badge badge-demo">{t.app.demoBadge}</span>}
      </div>
      <div className="header-actions">
        <LanguageSwitcher />
        {onEndSession && (
          <button type="button" className="button danger" onClick={onEndSession} data-action="end-session">
            {t.kiosk.endSession}
          </button>
        )}
      </div>
    </header>
  );
}
