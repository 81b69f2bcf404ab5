/** A phone or e-mail of the wizard's step 1, with "Get code" and the code that confirms it (through main and the portal). */
import { useId, useState } from 'react';
import type { AppError, ApplicationDraft, DraftIssue } from '../../../../contract/contract.ts';
import { call, errorOf, useApi } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';

interface Props {
  channel: 'phone' | 'phone2' | 'email';
  label: string;
  value: string;
  confirmed: boolean;
  onChange: (value: string) => void;
  onConfirmed: (state: { draft: ApplicationDraft; issues: DraftIssue[] }) => void;
  issue: React.ReactNode;
}

export function ContactField({ channel, label, value, confirmed, onChange, onConfirmed, issue }: Props) {
  const api = useApi();
  const { t } = useI18n();
  const id = useId();
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  return (
    <div className="field contact-field" data-contact={channel}>
      <label htmlFor={`${id}-value`}>{label}</label>
      <input
        id={`${id}-value`}
        name={channel}
        type={channel === 'email' ? 'email' : 'tel'}
        placeholder={channel === 'email' ? undefined : t.apply.phoneHint}
        value={value}
        aria-invalid={issue ? true : undefined}
        onChange={(e) => onChange(e.target.value.trim())}
      />
      {confirmed ? (
        <p className="confirmed" role="status">
          ✓ {t.apply.confirmed}
        </p>
      ) : (
        <>
          <button
            type="button"
            className="button secondary small"
            data-action="get-code"
            disabled={!value}
            onClick={() => {
              setError(null);
              call(api, 'apply.sendCode', { channel, target: value }).then(
                (r) => setSentTo(r.sentTo),
                (e: unknown) => setError(errorOf(e)),
              );
            }}
          >
            {t.apply.getCode}
          </button>
          {sentTo && <p role="status">{interpolate(t.apply.codeSent, { to: sentTo })}</p>}
          <label htmlFor={`${id}-code`}>{t.apply.code}</label>
          <input
            id={`${id}-code`}
            name={`${channel}-code`}
            inputMode="numeric"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button
            type="button"
            className="button secondary small"
            data-action="confirm-code"
            disabled={code.length !== 6}
            onClick={() => {
              setError(null);
              call(api, 'apply.confirmCode', { channel, target: value, code }).then(
                onConfirmed,
                (e: unknown) => setError(errorOf(e)),
              );
            }}
          >
            {t.apply.confirmCode}
          </button>
        </>
      )}
      {issue}
      {error && <ErrorMessage error={describeError(error, t)} />}
    </div>
  );
}
