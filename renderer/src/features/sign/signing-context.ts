/** What every key dialog of the app shares: the demo keys folder, the native file picker, the remembered path, token events. */
import { createContext, useContext } from 'react';

export interface SigningSetup {
  demoKeysFolder: string | undefined;
  canPickFile: boolean;
  initialPath: string | null;
  rememberPath: ((path: string) => void) | null;
  /** Main's `tokens.changed` events (a token plugged in or removed); the returned function stops listening. */
  onTokensChanged: ((listener: () => void) => () => void) | null;
  /** The key sources the administrator's policy allows (app.info's policy). */
  keySources: readonly ('file' | 'token')[];
}

export const SigningContext = createContext<SigningSetup>({ demoKeysFolder: undefined, canPickFile: false, initialPath: null, rememberPath: null, onTokensChanged: null, keySources: ['file', 'token'] });

export function useSigningSetup(): SigningSetup {
  return useContext(SigningContext);
}
