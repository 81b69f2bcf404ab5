/**
 * The app's screens and the rules between them: login → (first login) e-mail → cabinet home →
 * journal → application → vacancies; logout → login; a lapsed session → login, then back to the
 * screen the user was on, with what they had typed still there.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { AppError, CallOutput, JoldamaApi, JoldamaEvents, Language, Settings, SiteRequest, User } from '../../contract/contract.ts';
import { ApiContext, createQueryClient } from './app/api.tsx';
import { AppShell } from './app/AppShell.tsx';
import { NavigationContext, type Screen } from './app/navigation.ts';
import { describeError } from './errors.ts';
import { EmailScreen } from './features/auth/EmailScreen.tsx';
import { LoginScreen, type LoginNotice } from './features/auth/LoginScreen.tsx';
import { ApplicationScreen } from './features/application/ApplicationScreen.tsx';
import { HomeScreen } from './features/cabinet/HomeScreen.tsx';
import { JournalScreen } from './features/journal/JournalScreen.tsx';
import { endSession } from './features/kiosk/end-session.ts';
import { IdleWarning } from './features/kiosk/IdleWarning.tsx';
import { KioskStartScreen } from './features/kiosk/KioskStartScreen.tsx';
import { wipesSession } from './features/kiosk/session-ended.ts';
import { KeyDialog, type KeyChoice } from './features/sign/KeyDialog.tsx';
import { SiteRequestDialog } from './features/ncalayer/SiteRequestDialog.tsx';
import { SigningContext, type SigningSetup } from './features/sign/signing-context.ts';
import { ApplyScreen } from './features/apply/ApplyScreen.tsx';
import { VacanciesScreen } from './features/vacancies/VacanciesScreen.tsx';
import { BookScreen } from './features/pmpk/BookScreen.tsx';
import { ScheduleScreen } from './features/pmpk/ScheduleScreen.tsx';
import { FeedScreen } from './features/feed/FeedScreen.tsx';
import { ReferralsScreen } from './features/referrals/ReferralsScreen.tsx';
import { SettingsScreen } from './features/settings/SettingsScreen.tsx';
import { UpdateBanner, UpdateRefusedBanner, useUpdateState } from './features/updates/UpdateBanner.tsx';
// The PMPK commission's view (#14)
import { CommissionScreen } from './features/commission/CommissionScreen.tsx';
import { DEFAULT_LANGUAGE, dictionaries, languageTags } from './i18n/index.ts';
import { I18nContext } from './i18n/context.tsx';
import { withSessionGuard } from './session.ts';
import { ErrorMessage } from './shared/ErrorMessage.tsx';
import { ScreenBoundary } from './shared/ScreenBoundary.tsx';
import { Header } from './shared/Header.tsx';

type AppInfo = CallOutput<'app.info'>;
type Route = { name: 'login' } | { name: 'email' } | Screen;

const HOME: Screen = { name: 'home' };

function routeFor(user: User, returnTo: Screen | null): Route {
  if (user.needsEmail) return { name: 'email' };
  return returnTo ?? HOME;
}

/** The answers news in the feed can change: the cabinet's and the PMPK bookings (queryKey: [call, input]). */
function isCabinetQuery(key: readonly unknown[]): boolean {
  const call = String(key[0]);
  return call.startsWith('cabinet.') || call === 'pmpk.bookings';
}

export function App({ api: rawApi, events }: { api: JoldamaApi; events: JoldamaEvents }) {
  const [queryClient] = useState(createQueryClient);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [bootError, setBootError] = useState<AppError | null>(null);
  const [language, setLanguage] = useState<Language>(DEFAULT_LANGUAGE);
  const [user, setUser] = useState<User | null>(null);
  const [route, setRoute] = useState<Route>({ name: 'login' });
  const [returnTo, setReturnTo] = useState<Screen | null>(null);
  const [notice, setNotice] = useState<LoginNotice>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [emailDraft, setEmailDraft] = useState('');
  // Kiosk mode: past the start screen (a new person starts there; docs/kiosk.md).
  const [started, setStarted] = useState(false);
  const [ending, setEnding] = useState(false);
  // A web site asks to sign through the NCALayer service (docs/ncalayer.md): one at a time.
  const [siteRequest, setSiteRequest] = useState<SiteRequest | null>(null);

  // The lapse handler reads the current route through a ref: the guarded API is made once.
  const routeRef = useRef(route);
  routeRef.current = route;
  const onLapse = useCallback(() => {
    const current = routeRef.current;
    setReturnTo(current.name === 'login' || current.name === 'email' ? null : current);
    setUser(null);
    setRoute({ name: 'login' });
    setNotice('sessionExpired');
    setDialogOpen(false);
  }, []);
  const api = useMemo(() => withSessionGuard(rawApi, onLapse), [rawApi, onLapse]);
  // Main says the session lapsed (found while looking for news): same as a lapsed call, unless already at login.
  useEffect(
    () =>
      events.onEvent((event) => {
        if (event.name === 'session.ended' && routeRef.current.name !== 'login') {
          if (wipesSession(event.payload.reason, kioskRef.current)) return endRef.current();
          onLapse();
          if (event.payload.reason === 'token-removed') setNotice('tokenRemoved');
          if (event.payload.reason === 'medium-removed') setNotice('mediumRemoved');
        }
      }),
    [events, onLapse],
  );

  // Main found news in the applicant's feed (an offer, a status changed elsewhere): the cabinet's screens ask again and show it.
  useEffect(
    () =>
      events.onEvent((event) => {
        if (event.name === 'cabinet.changed') void queryClient.invalidateQueries({ predicate: (q) => isCabinetQuery(q.queryKey) });
      }),
    [events, queryClient],
  );

  useEffect(
    () =>
      events.onEvent((event) => {
        if (event.name === 'ncalayer.request') setSiteRequest(event.payload);
        if (event.name === 'ncalayer.requestClosed') setSiteRequest((shown) => (shown?.requestId === event.payload.requestId ? null : shown));
      }),
    [events],
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
        setRoute(routeFor(current, null));
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

  // The key dialogs follow tokens plugged in and removed (main's tokens.changed).
  const onTokensChanged = useCallback(
    (listener: () => void) =>
      events.onEvent((event) => {
        if (event.name === 'tokens.changed') listener();
      }),
    [events],
  );
  const rememberPath = useCallback(
    (path: string) => void api['settings.update']({ lastKeyPath: path }).then((r) => r.ok && setSettings(r.value)),
    [api],
  );

  async function login(choice: KeyChoice): Promise<AppError | null> {
    const result = await api['auth.login'](choice);
    if (!result.ok) return result.error;
    setDialogOpen(false);
    enter(result.value.user);
    return null;
  }

  /** Logged in, by the key or by IIN + password. */
  function enter(next: User) {
    setNotice(null);
    setUser(next);
    setRoute(routeFor(next, returnTo));
    setReturnTo(null);
  }

  async function saveEmail(email: string): Promise<AppError | null> {
    const result = await api['auth.setEmail']({ email });
    if (!result.ok) return result.error;
    setUser(result.value.user);
    setEmailDraft('');
    setRoute(HOME);
    return null;
  }

  async function logout() {
    await api['auth.logout']({});
    queryClient.clear();
    setUser(null);
    setReturnTo(null);
    setEmailDraft('');
    setRoute({ name: 'login' });
    setNotice('loggedOut');
  }

  // Everything of this person goes: main's side, the window's storage, then a reload (kiosk/end-session.ts).
  const end = useCallback(() => {
    setEnding(true);
    void endSession(rawApi);
  }, [rawApi]);
  // For main's session.ended (subscribed above): pulling out the key in a kiosk ends the whole session.
  const endRef = useRef(end);
  endRef.current = end;
  const kioskRef = useRef(false);
  kioskRef.current = info?.policy.kiosk ?? false;

  const navigate = useCallback((screen: Screen) => {
    setRoute(screen);
    window.scrollTo(0, 0);
  }, []);

  const locked = new Set(settings?.locked ?? []);
  const policy = info?.policy;
  const kiosk = policy?.kiosk ?? false;
  // #16: a home install's update ready to install, or refused by main's signature check; never asked for in a kiosk (main never updates one).
  const update = useUpdateState(rawApi, events, info !== null && !kiosk);
  const installUpdate = async () => {
    const result = await api['update.install']({});
    return result.ok ? null : result.error;
  };
  // The idle timeout runs once there is something of someone's to wipe.
  const idleTimeout = policy?.idleTimeoutSeconds && (kiosk ? started : user !== null || dialogOpen) ? policy.idleTimeoutSeconds : null;
  const signing: SigningSetup = {
    demoKeysFolder: info?.demo ? info.demoKeysFolder : undefined,
    canPickFile: info?.mode === 'electron',
    initialPath: settings?.lastKeyPath ?? null,
    rememberPath: locked.has('lastKeyPath') ? null : rememberPath,
    onTokensChanged,
    keySources: info?.policy.keySources ?? ['file', 'token'],
  };
  return (
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={queryClient}>
        <I18nContext.Provider
          value={{ language, t, setLanguage: locked.has('language') ? null : changeLanguage, ...(policy ? { languages: policy.languages } : {}) }}
        >
          <NavigationContext.Provider value={navigate}>
            <SigningContext.Provider value={signing}>
              <div className="app" data-screen={bootError ? 'error' : !info ? 'loading' : kiosk && !started ? 'kiosk-start' : user?.commission && route.name !== 'login' ? 'commission' : route.name}>
                <Header demo={info?.demo ?? false} onEndSession={kiosk && started && !ending ? end : undefined} />
                <main className="app-main" inert={dialogOpen || siteRequest !== null}>
                  {bootError ? (
                    <ErrorMessage error={describeError(bootError, t)} />
                  ) : !info || ending ? (
                    <p className="muted" role="status">
                      {ending ? t.kiosk.ending : t.app.loading}
                    </p>
                  ) : kiosk && !started ? (
                    <KioskStartScreen policy={info.policy} onStart={() => setStarted(true)} onTokensChanged={onTokensChanged} />
                  ) : route.name === 'login' || !user ? (
                    <LoginScreen notice={notice} onSignIn={() => setDialogOpen(true)} methods={info.policy.loginMethods} onPasswordLogin={enter} />
                  ) : user.commission ? (
                    <ScreenBoundary>
                      <CommissionScreen user={user} onLogout={kiosk ? end : logout} />
                    </ScreenBoundary>
                  ) : route.name === 'email' ? (
                    <EmailScreen draft={emailDraft} onDraft={setEmailDraft} onSave={saveEmail} onLogout={logout} />
                  ) : (
                    <AppShell user={user} screen={route} onLogout={kiosk ? end : logout} settingsHidden={policy?.settingsHidden ?? false}>
                      {update.ready && !kiosk && <UpdateBanner version={update.ready} onInstall={installUpdate} />}
                      {update.refused && !kiosk && <UpdateRefusedBanner refused={update.refused} />}
                      <ScreenBoundary key={route.name}>
                        {route.name === 'home' && <HomeScreen user={user} />}
                        {route.name === 'journal' && <JournalScreen />}
                        {route.name === 'application' && (
                          <ApplicationScreen key={route.applicationId} applicationId={route.applicationId} tab={route.tab} />
                        )}
                        {route.name === 'apply' && <ApplyScreen applicantIin={user.iin} />}
                        {route.name === 'vacancies' && <VacanciesScreen key={route.applicationId} applicationId={route.applicationId} />}
                        {route.name === 'pmpk' && <ScheduleScreen />}
                        {route.name === 'pmpkBook' && <BookScreen key={route.applicationId ?? 'child'} applicationId={route.applicationId} />}
                        {route.name === 'feed' && <FeedScreen />}
                        {route.name === 'referrals' && <ReferralsScreen />}
                        {route.name === 'settings' && <SettingsScreen />}
                      </ScreenBoundary>
                    </AppShell>
                  )}
                </main>
                {idleTimeout && !ending && <IdleWarning timeoutSeconds={idleTimeout} onEnd={end} />}
                {siteRequest && info && !ending && (
                  <SiteRequestDialog key={siteRequest.requestId} request={siteRequest} onDone={() => setSiteRequest(null)} />
                )}
                {dialogOpen && !siteRequest && info && !ending && (
                  <KeyDialog
                    purpose="AUTH"
                    onSign={login}
                    onCancel={() => setDialogOpen(false)}
                  />
                )}
              </div>
            </SigningContext.Provider>
          </NavigationContext.Provider>
        </I18nContext.Provider>
      </QueryClientProvider>
    </ApiContext.Provider>
  );
}
