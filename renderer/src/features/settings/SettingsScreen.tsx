/**
 * «Баптаулар» (docs/cabinet.md, Settings): contact details (phones, e-mail), notification channels
 * and language, and the password. Each form saves on its own and says so; a failure is the
 * translated error of that form. Typed passwords are emptied once sent.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { MIN_CABINET_PASSWORD, type Account, type AppError } from '../../../../contract/contract.ts';
import { call, errorOf, queryKey, useApi, useCall } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { TextField } from '../../shared/TextField.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { isValidEmail } from '../../validation.ts';
import { NcaLayerSettings } from '../ncalayer/NcaLayerSettings.tsx';
import { PageHeading } from '../../shared/PageHeading.tsx';

const PHONE = /^\+77\d{9}$/;

export function SettingsScreen() {
  const { t } = useI18n();
  const account = useCall('account.get', {});
  return (
    <section aria-labelledby="settings-title">
      <PageHeading id="settings-title" title={t.settings.title} subtitle={t.settings.intro} />
      <QueryView query={account}>
        {(data) => (
          <div className="settings-grid">
            <ContactsForm account={data} />
            <NotificationsForm account={data} />
            <PasswordForm />
          </div>
        )}
      </QueryView>
      {/* The NCALayer-compatible signing service: this computer's, not the portal account's. */}
      <div className="settings-grid">
        <NcaLayerSettings />
      </div>
    </section>
  );
}

/** Saving state of one form: busy, the last error, "saved". */
function useSave() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  async function save(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await work();
      setSaved(true);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, saved, save, fail: (code: string) => (setSaved(false), setError({ code })) };
}

function FormCard({ id, title, onSubmit, children, state, savedText, submit }: {
  id: string;
  title: string;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
  state: ReturnType<typeof useSave>;
  savedText: string;
  submit: string;
}) {
  const { t } = useI18n();
  return (
    <form className="card" aria-labelledby={id} onSubmit={onSubmit} noValidate>
      <h2 id={id}>{title}</h2>
      {children}
      {state.error && <ErrorMessage error={describeError(state.error, t)} />}
      {state.saved && (
        <p className="notice" role="status">
          {savedText}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={state.busy}>
          {submit}
        </button>
      </div>
    </form>
  );
}

function useAccountSaved() {
  const client = useQueryClient();
  return (next: Account) => client.setQueryData(queryKey('account.get', {}), next);
}

function ContactsForm({ account }: { account: Account }) {
  const { t } = useI18n();
  const api = useApi();
  const id = useId();
  const state = useSave();
  const update = useAccountSaved();
  const [phone, setPhone] = useState(account.phones[0] ?? '');
  const [phone2, setPhone2] = useState(account.phones[1] ?? '');
  const [email, setEmail] = useState(account.email ?? '');

  function submit(e: FormEvent) {
    e.preventDefault();
    const phones = [phone.trim(), phone2.trim()].filter(Boolean);
    if (phones.some((p) => !PHONE.test(p))) return state.fail('PHONE_INVALID');
    if (email.trim() && !isValidEmail(email.trim())) return state.fail('EMAIL_INVALID');
    void state.save(async () => {
      let next = await call(api, 'account.setPhones', { phones });
      if (email.trim() && email.trim() !== account.email) next = await call(api, 'account.setEmail', { email: email.trim() });
      update(next);
    });
  }

  return (
    <FormCard id={`${id}-title`} title={t.settings.contacts} onSubmit={submit} state={state} savedText={t.settings.saved} submit={t.settings.saveContacts}>
      <TextField id={`${id}-phone`} name="phone" label={t.settings.phone} type="tel" autoComplete="tel" value={phone} onChange={setPhone} hint={t.settings.phoneHint} />
      <TextField id={`${id}-phone2`} name="phone2" label={t.settings.phone2} type="tel" autoComplete="tel" value={phone2} onChange={setPhone2} hint={t.settings.phoneHint} />
      <TextField id={`${id}-email`} name="email" label={t.settings.email} type="email" autoComplete="email" value={email} onChange={setEmail} />
    </FormCard>
  );
}

function NotificationsForm({ account }: { account: Account }) {
  const { t } = useI18n();
  const api = useApi();
  const id = useId();
  const state = useSave();
  const update = useAccountSaved();
  const [sms, setSms] = useState(account.notifications.sms);
  const [email, setEmail] = useState(account.notifications.email);
  const [language, setLanguage] = useState(account.notifications.language);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!sms && !email) return state.fail('NO_CHANNEL');
    void state.save(async () => {
      update(await call(api, 'account.setNotifications', { sms, email, language }));
    });
  }

  // Notification texts exist in Kazakh and Russian; each is named in the reader's language.
  const names = { kk: t.languages.kk, ru: t.languages.ru };
  return (
    <FormCard id={`${id}-title`} title={t.settings.notifications} onSubmit={submit} state={state} savedText={t.settings.saved} submit={t.settings.saveNotifications}>
      <fieldset className="field">
        <legend className="field-label">{t.settings.channels}</legend>
        <label className="check">
          <input type="checkbox" name="sms" checked={sms} onChange={(e) => setSms(e.target.checked)} /> {t.settings.sms}
        </label>
        <label className="check">
          <input type="checkbox" name="email" checked={email} onChange={(e) => setEmail(e.target.checked)} /> {t.settings.emailChannel}
        </label>
      </fieldset>
      <fieldset className="field">
        <legend className="field-label">{t.settings.language}</legend>
        {(['kk', 'ru'] as const).map((code) => (
          <label key={code} className="check">
            <input type="radio" name="notify-language" value={code} checked={language === code} onChange={() => setLanguage(code)} /> {names[code]}
          </label>
        ))}
      </fieldset>
    </FormCard>
  );
}

function PasswordForm() {
  const { t } = useI18n();
  const api = useApi();
  const id = useId();
  const state = useSave();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    if (next.length < MIN_CABINET_PASSWORD) return state.fail('PASSWORD_TOO_SHORT');
    if (next !== repeat) return state.fail('PASSWORDS_DIFFER');
    const typed = { currentPassword: current, newPassword: next };
    void state.save(async () => {
      try {
        await call(api, 'account.changePassword', typed);
      } finally {
        setCurrent('');
        setNext('');
        setRepeat('');
      }
    });
  }

  return (
    <FormCard id={`${id}-title`} title={t.settings.password} onSubmit={submit} state={state} savedText={t.settings.passwordChanged} submit={t.settings.changePassword}>
      <TextField id={`${id}-current`} name="current" label={t.settings.currentPassword} type="password" autoComplete="current-password" value={current} onChange={setCurrent} hint={t.settings.currentPasswordHint} />
      <TextField id={`${id}-new`} name="new" label={t.settings.newPassword} type="password" autoComplete="new-password" value={next} onChange={setNext} />
      <TextField id={`${id}-repeat`} name="repeat" label={t.settings.repeatPassword} type="password" autoComplete="new-password" value={repeat} onChange={setRepeat} />
    </FormCard>
  );
}
