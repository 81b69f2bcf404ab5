/**
 * Login: the two ways in (docs/cabinet.md), the EDS key first and IIN + password second, each
 * only when the administrator's policy allows it.
 */
import type { User } from '../../../../contract/contract.ts';
import { useI18n } from '../../i18n/context.tsx';
import { PasswordLogin } from './PasswordLogin.tsx';

export type LoginNotice = 'sessionExpired' | 'loggedOut' | 'tokenRemoved' | 'mediumRemoved' | null;

export type LoginMethod = 'certificate' | 'password';

export function LoginScreen({
  notice,
  onSignIn,
  methods = ['certificate', 'password'],
  onPasswordLogin,
}: {
  notice: LoginNotice;
  onSignIn: () => void;
  methods?: readonly LoginMethod[];
  onPasswordLogin?: (user: User) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel login" aria-labelledby="login-title">
      <h1 id="login-title">{t.login.title}</h1>
      {notice && (
        <p className="notice" role="status">
          {t.login[notice]}
        </p>
      )}
      {methods.includes('certificate') && (
        <section className="login-method" aria-labelledby="login-key">
          <h2 id="login-key">{t.passwordLogin.keyTitle}</h2>
          <p className="lead">{t.login.explanation}</p>
          <button type="button" className="button primary large" onClick={onSignIn}>
            {t.login.signInButton}
          </button>
        </section>
      )}
      {methods.includes('password') && onPasswordLogin && (
        <section className="login-method" aria-labelledby="login-password">
          <h2 id="login-password">{t.passwordLogin.passwordTitle}</h2>
          <p className="muted">{t.passwordLogin.passwordText}</p>
          <PasswordLogin onLoggedIn={onPasswordLogin} />
        </section>
      )}
    </section>
  );
}
