/** The frame of the logged-in screens: the sections, who is signed in, and "Log out". */
import type { ReactNode } from 'react';
import type { User } from '../../../contract/contract.ts';
import { useI18n } from '../i18n/context.tsx';
import { useNavigate, type Screen } from './navigation.ts';

interface AppShellProps {
  user: User;
  screen: Screen;
  onLogout: () => void;
  /** The administrator's policy hides the settings section (kiosk default). */
  settingsHidden: boolean;
  children: ReactNode;
}

export function AppShell({ user, screen, onLogout, settingsHidden, children }: AppShellProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // The section a screen belongs to: an application and its places are part of the journal, booking part of PMPK.
  const current =
    screen.name === 'application' || screen.name === 'vacancies' ? 'journal' : screen.name === 'pmpkBook' ? 'pmpk' : screen.name;
  // Shown short (one line at 1024 px), named in full for assistive technology; the short label is part of the full one.
  const sections: { name: 'home' | 'feed' | 'journal' | 'pmpk' | 'referrals' | 'settings'; label: string }[] = [
    { name: 'home', label: t.nav.home },
    { name: 'feed', label: t.sections.feed },
    { name: 'journal', label: t.nav.journal },
    { name: 'pmpk', label: t.nav.pmpk },
    { name: 'referrals', label: t.sections.referrals },
    ...(settingsHidden ? [] : [{ name: 'settings' as const, label: t.sections.settings }]),
  ];
  return (
    <>
      <nav className="app-nav" aria-label={t.nav.label}>
        <ul>
          {sections.map((section) => (
            <li key={section.name}>
              <button
                type="button"
                className="nav-link"
                aria-current={current === section.name ? 'page' : undefined}
                onClick={() => navigate({ name: section.name })}
                data-section={section.name}
                aria-label={section.label}
                title={section.label}
              >
                {t.navShort[section.name]}
              </button>
            </li>
          ))}
        </ul>
        <div className="nav-user">
          <span className="nav-user-name" title={user.commonName}>
            {user.commonName}
          </span>
          <button type="button" className="button secondary small" onClick={onLogout} data-action="logout">
            {t.nav.logout}
          </button>
        </div>
      </nav>
      {children}
    </>
  );
}
