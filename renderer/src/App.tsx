/**
 * The app's screens and the rules between them:
 * login → (first login) e-mail → cabinet; logout → login; a lapsed session → login, then back to
 * the screen the user was on, with what they had typed still there.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppError, CallOutput, JoldamaApi, JoldamaEvents, Language, Settings, User } from '../../contract/contract.ts';
import { ErrorMessage } from './components/ErrorMessage.tsx';
import { Header } from './components/Header.tsx';
import { KeyDialog, type KeyChoice } from './components/KeyDialog.tsx';
import { describeError } from './errors.ts';
import { DEFAULT_LANGUAGE, dictionaries, languageTags } from './i18n/index.ts';
import { I18nContext } from './i18n/context.tsx';
import { CabinetScreen } from './screens/CabinetScreen.tsx';
import { EmailScreen } from './screens/EmailScreen.tsx';
import { LoginScreen, type LoginNotice } from './screens/LoginScreen.tsx';
import { withSessionGuard } from './session.ts';

type AppInfo = CallOutput<'app.info'>;
type Screen = 'login' | 'email' | 'cabinet';

function screenFor(user: User, returnTo: Screen | null): Screen {
  if (user.needsEmail) return 'email';
  return returnTo === 'login' || returnTo === 'email' || returnTo === null ? 'cabinet' : returnTo;
}

export function App({ api: rawApi, events }: { api: JoldamaApi; events: JoldamaEvents }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [bootError, setBootError] = useState<AppError | null>(null);
  const [language, setLanguage] = useState<Language>(DEFAULT_LANGUAGE);
  const [user, setUser] = useState<User | null>(null);
  const [screen, setScreen] = useState<Screen>('login');
  const [returnTo, setReturnTo] = useState<Screen | null>(null);
  const [notice, setNotice] = useState<LoginNotice>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [emailDraft, setEmailDraft] = useState('');

  // The lapse handler reads the current screen through a ref: the guarded API is made once.
  const screenRef = useRef(screen);
  screenRef.current = screen;
  const onLapse = useCallback(() => {
    setReturnTo(screenRef.current === 'login' ? null : screenRef.current);
    setUser(null);
    setScreen('login');
    setNotice('sessionExpired');
    setDialogOpen(false);
  }, []);
  const api = useMemo(() => withSessionGuard(rawApi, onLapse), [rawApi, onLapse]);
  // Main says the session lapsed (found while looking for news): same as a lapsed call, unless already at login.
  useEffect(
    () =>
      events.onEvent((event) => {
        if (event.name === 'session.ended' && screenRef.current !== 'login') onLapse();
      }),
    [events, onLapse],
  );

  useEffect(() => {
    let live = true;
    void (async () => {
      const [infoResult, settingsResult, sessionResult] = await Promise.all([
        api['app.info']({}),
        api['settings.get']({}),
        api['auth.session']({}),
      ]);
      if (!live) return;
      if (!infoResult.ok) return setBootError(infoResult.error);
      if (!settingsResult.ok) return setBootError(settingsResult.error);
      setInfo(infoResult.value);
      setSettings(settingsResult.value);
      setLanguage(settingsResult.value.language);
      const current = sessionResult.ok ? sessionResult.value?.user : undefined;
      if (current) {
        setUser(current);
        setScreen(screenFor(current, null));
      }
    })();
    return () => {
      live = false;
    };
  }, [api]);

  const t = dictionaries[language];
  useEffect(() => {
    document.documentElement.lang = languageTags[language];
    document.title = t.app.name;
  }, [language, t]);

  function changeLanguage(next: Language) {
    setLanguage(next);
    void api['settings.update']({ language: next }).then((r) => r.ok && setSettings(r.value));
  }

  function rememberPath(path: string) {
    void api['settings.update']({ lastKeyPath: path }).then((r) => r.ok && setSettings(r.value));
  }

  async function login(choice: KeyChoice): Promise<AppError | null> {
    const result = await api['auth.login'](choice);
    if (!result.ok) return result.error;
    setDialogOpen(false);
    setNotice(null);
    setUser(result.value.user);
    setScreen(screenFor(result.value.user, returnTo));
    setReturnTo(null);
    return null;
  }

  async function saveEmail(email: string): Promise<AppError | null> {
    const result = await api['auth.setEmail']({ email });
    if (!result.ok) return result.error;
    setUser(result.value.user);
    setEmailDraft('');
    setScreen('cabinet');
    return null;
  }

  async function logout() {
    await api['auth.logout']({});
    setUser(null);
    setReturnTo(null);
    setEmailDraft('');
    setScreen('login');
    setNotice('loggedOut');
  }

  const locked = new Set(settings?.locked ?? []);
  return (
    <I18nContext.Provider value={{ language, t, setLanguage: locked.has('language') ? null : changeLanguage }}>
      <div className="app" data-screen={bootError ? 'error' : info ? screen : 'loading'}>
        <Header demo={info?.demo ?? false} />
        <main className="app-main" inert={dialogOpen}>
          {bootError ? (
            <ErrorMessage error={describeError(bootError, t)} />
          ) : !info ? (
            <p className="muted" role="status">
              {t.app.loading}
            </p>
          ) : screen === 'cabinet' && user ? (
            <CabinetScreen user={user} onLogout={logout} />
          ) : screen === 'email' && user ? (
            <EmailScreen draft={emailDraft} onDraft={setEmailDraft} onSave={saveEmail} />
          ) : (
            <LoginScreen notice={notice} onSignIn={() => setDialogOpen(true)} />
          )}
        </main>
        {dialogOpen && info && (
          <KeyDialog
            api={api}
            purpose="AUTH"
            demoKeysFolder={info.demo ? info.demoKeysFolder : undefined}
            canPickFile={info.mode === 'electron'}
            initialPath={settings?.lastKeyPath ?? null}
            rememberPath={locked.has('lastKeyPath') ? null : rememberPath}
            onSign={login}
            onCancel={() => setDialogOpen(false)}
          />
        )}
      </div>
    </I18nContext.Provider>
  );
}
