/** The frame of the logged-in screens: the sections, who is signed in, and "Log out". */
import type { ReactNode } from 'react';
import type { User } from '../../../contract/contract.ts';
import { useI18n } from '../i18n/context.tsx';
import { useNavigate, type Screen } from './navigation.ts';

export function AppShell({ user, screen, onLogout, children }: { user: User; screen: Screen; onLogout: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const current = screen.name === 'home' ? 'home' : screen.name === 'pmpk' ? 'pmpk' : 'journal';
  return (
    <>
      <nav className="app-nav" aria-label={t.nav.label}>
        <ul>
          <li>
            <button type="button" className="nav-link" aria-current={current === 'home' ? 'page' : undefined} onClick={() => navigate({ name: 'home' })}>
              {t.nav.home}
            </button>
          </li>
          <li>
            <button type="button" className="nav-link" aria-current={current === 'journal' ? 'page' : undefined} onClick={() => navigate({ name: 'journal' })}>
              {t.nav.journal}
            </button>
          </li>
          <li>
            <button type="button" className="nav-link" aria-current={current === 'pmpk' ? 'page' : undefined} onClick={() => navigate({ name: 'pmpk' })}>
              {t.nav.pmpk}
            </button>
          </li>
        </ul>
        <div className="nav-user">
          <span className="nav-user-name">{user.commonName}</span>
          <button type="button" className="button secondary small" onClick={onLogout} data-action="logout">
            {t.nav.logout}
          </button>
        </div>
      </nav>
      {children}
    </>
  );
}
