/** Login: what signing in means, and the button that opens the key dialog. */
import { useI18n } from '../../i18n/context.tsx';

export type LoginNotice = 'sessionExpired' | 'loggedOut' | 'tokenRemoved' | null;

export function LoginScreen({ notice, onSignIn }: { notice: LoginNotice; onSignIn: () => void }) {
  const { t } = useI18n();
  return (
    <section className="panel login" aria-labelledby="login-title">
      <h1 id="login-title">{t.login.title}</h1>
      {notice && (
        <p className="notice" role="status">
          {t.login[notice]}
        </p>
      )}
      <p className="lead">{t.login.explanation}</p>
      <button type="button" className="button primary large" onClick={onSignIn}>
        {t.login.signInButton}
      </button>
    </section>
  );
}
