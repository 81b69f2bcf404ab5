/**
 * The second way in (docs/cabinet.md): IIN, then the password; at the first login the SMS code and
 * a new reusable password. Forms are checked here first (IIN shape, code shape, password length,
 * the two passwords alike); main checks the IIN's check digit and the portal the rest. Typed
 * passwords are emptied as soon as they have been sent.
 */
import { useId, useState, type FormEvent } from 'react';
import { MIN_CABINET_PASSWORD, type AppError, type User } from '../../../../contract/contract.ts';
import { call, errorOf, useApi } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { TextField } from '../../shared/TextField.tsx';

type Step = { name: 'iin' } | { name: 'password' } | { name: 'sms_code'; phoneHint: string | null };

export function PasswordLogin({ onLoggedIn }: { onLoggedIn: (user: User) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const id = useId();
  const [step, setStep] = useState<Step>({ name: 'iin' });
  const [iin, setIin] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  function wipe() {
    setPassword('');
    setRepeat('');
  }

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  function submitIin(e: FormEvent) {
    e.preventDefault();
    const value = iin.trim();
    if (!/^\d{12}$/.test(value)) return setError({ code: 'IIN_FORMAT' });
    void run(async () => {
      const next = await call(api, 'auth.passwordStart', { iin: value });
      setStep(next.step === 'password' ? { name: 'password' } : { name: 'sms_code', phoneHint: next.phoneHint });
    });
  }

  function submitPassword(e: FormEvent) {
    e.preventDefault();
    if (!password) return setError({ code: 'AUTH_BAD_PASSWORD' });
    const typed = password;
    void run(async () => {
      try {
        onLoggedIn((await call(api, 'auth.passwordLogin', { iin: iin.trim(), password: typed })).user);
      } finally {
        wipe();
      }
    });
  }

  function submitCode(e: FormEvent) {
    e.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) return setError({ code: 'CODE_FORMAT' });
    if (password.length < MIN_CABINET_PASSWORD) return setError({ code: 'PASSWORD_TOO_SHORT' });
    if (password !== repeat) return setError({ code: 'PASSWORDS_DIFFER' });
    const typed = password;
    void run(async () => {
      try {
        onLoggedIn((await call(api, 'auth.passwordCreate', { iin: iin.trim(), code: code.trim(), password: typed })).user);
      } finally {
        wipe();
        setCode('');
      }
    });
  }

  function otherIin() {
    wipe();
    setCode('');
    setError(null);
    setStep({ name: 'iin' });
  }

  const iinField = (
    <TextField
      id={`${id}-iin`}
      name="iin"
      label={t.passwordLogin.iin}
      inputMode="numeric"
      autoComplete="username"
      maxLength={12}
      value={iin}
      readOnly={step.name !== 'iin'}
      onChange={(v) => setIin(v.replace(/\D/g, ''))}
      hint={t.passwordLogin.iinHint}
    />
  );
  // The end of the password and SMS-code forms: the error, log in, and back to another IIN.
  const loginActions = (
    <>
      {error && <ErrorMessage error={describeError(error, t)} />}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t.passwordLogin.working : t.passwordLogin.login}
        </button>
        <button type="button" className="button secondary" onClick={otherIin} disabled={busy}>
          {t.passwordLogin.otherIin}
        </button>
      </div>
    </>
  );
  const secret = (name: string, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <TextField
      id={`${id}-${name}`}
      name={name}
      label={label}
      type="password"
      autoComplete={name === 'password' && step.name === 'password' ? 'current-password' : 'new-password'}
      value={value}
      onChange={set}
      hint={hint}
    />
  );

  return (
    <div className="password-login" data-step={step.name}>
      {step.name === 'iin' && (
        <form onSubmit={submitIin} noValidate>
          {iinField}
          {error && <ErrorMessage error={describeError(error, t)} />}
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? t.passwordLogin.working : t.passwordLogin.next}
            </button>
          </div>
        </form>
      )}
      {step.name === 'password' && (
        <form onSubmit={submitPassword} noValidate>
          {iinField}
          {secret('password', t.passwordLogin.password, password, setPassword)}
          {loginActions}
        </form>
      )}
      {step.name === 'sms_code' && (
        <form onSubmit={submitCode} noValidate>
          {iinField}
          <p className="notice" role="status">
            {step.phoneHint ? interpolate(t.passwordLogin.smsSent, { phone: step.phoneHint }) : t.passwordLogin.smsSentNoPhone}
          </p>
          <TextField
            id={`${id}-code`}
            name="code"
            label={t.passwordLogin.code}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(v) => setCode(v.replace(/\D/g, ''))}
            hint={t.passwordLogin.codeHint}
          />
          {secret('new-password', t.passwordLogin.newPassword, password, setPassword, t.passwordLogin.newPasswordHint)}
          {secret('repeat-password', t.passwordLogin.repeatPassword, repeat, setRepeat)}
          {loginActions}
        </form>
      )}
    </div>
  );
}
