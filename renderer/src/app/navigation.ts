/**
 * The screens after login and how to move between them: a small state machine rather than URLs
 * (the app has no address bar; a lapsed session returns the user to the screen they were on).
 */
import { createContext, useContext } from 'react';

export type ApplicationTab = 'info' | 'history' | 'documents';

export type Screen =
  | { name: 'home' }
  | { name: 'journal' }
  | { name: 'application'; applicationId: string; tab: ApplicationTab }
  | { name: 'vacancies'; applicationId: string }
  | { name: 'pmpk' }
  // applicationId null: booked from the service list, before there is an application (docs/pmpk.md)
  | { name: 'pmpkBook'; applicationId: string | null }
  // The cabinet's sections (docs/cabinet.md)
  | { name: 'feed' }
  | { name: 'referrals' }
  | { name: 'settings' }
  | { name: 'apply' };

export type Navigate = (screen: Screen) => void;

export const NavigationContext = createContext<Navigate>(() => {});

export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}

/** Where "Back" goes from each screen. */
export function parentOf(screen: Screen): Screen | null {
  switch (screen.name) {
    case 'home':
      return null;
    case 'journal':
    case 'feed':
    case 'referrals':
    case 'settings':
      return { name: 'home' };
    case 'application':
      return { name: 'journal' };
    case 'apply':
      return { name: 'home' };
    case 'vacancies':
      return { name: 'application', applicationId: screen.applicationId, tab: 'info' };
    case 'pmpkBook':
      return screen.applicationId === null ? { name: 'apply' } : { name: 'application', applicationId: screen.applicationId, tab: 'info' };
    case 'pmpk':
      return { name: 'home' };
  }
}
