/** First login: the portal needs an e-mail address for notifications (or the user logs out for now). */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../contract/contract.ts';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n/context.tsx';
import { isValidEmail } from '../../validation.ts';

interface EmailScreenProps {
  draft: string;
  onDraft: (value: string) => void;
  onSave: (email: string) => Promise<AppError | null>;
  /** Not now: the e-mail is asked again at the next login. */
  onLogout: () => void;
}

export function EmailScreen({ draft, onDraft, onSave, onLogout }: EmailScreenProps) {
  const { t } = useI18n();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const email = draft.trim();
    if (!isValidEmail(email)) {
      setInvalid(true);
      inputRef.current?.focus();
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(null);
    const failure = await onSave(email);
    setBusy(false);
    if (failure) setError(failure);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t.email.title}</h1>
      <p className="lead">{t.email.explanation}</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-email`}>
            {t.email.label}
          </label>
          <input
            ref={inputRef}
            id={`${id}-email`}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            value={draft}
            onChange={(e) => onDraft(e.target.value)}
            aria-invalid={invalid}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
            autoFocus
          />
          {invalid && (
            <p id={`${id}-invalid`} className="field-error" role="alert">
              {t.email.invalid}
            </p>
          )}
        </div>
        {error && <ErrorMessage error={describeError(error, t)} />}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t.email.saving : t.email.save}
          </button>
          <button type="button" className="button secondary" onClick={onLogout} disabled={busy} data-action="logout">
            {t.nav.logout}
          </button>
        </div>
      </form>
    </section>
  );
}
