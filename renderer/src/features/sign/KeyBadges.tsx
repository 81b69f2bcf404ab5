/** Small labels for a key: its purposes (AUTH / SIGN), its validity and, once checked, its revocation status. */
import type { KeyDetails } from '../../../../contract/contract.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { RevocationState } from './key-rules.ts';

export function PurposeChips({ purposes }: { purposes: KeyDetails['purposes'] }) {
  const { t } = useI18n();
  return (
    <>
      {purposes.map((p) => (
        <span key={p} className={`chip chip-${p.toLowerCase()}`}>
          {p === 'AUTH' ? t.keyDialog.purposeAuth : t.keyDialog.purposeSign}
        </span>
      ))}
    </>
  );
}

/** Validity first (expired, not yet valid); a valid key shows its revocation check: checking… → valid / revoked / unknown. */
export function StatusBadge({ status, revocation }: { status: KeyDetails['status']; revocation: RevocationState }) {
  const { t } = useI18n();
  if (status === 'expired') return <span className="badge badge-bad">{t.keyDialog.statusExpired}</span>;
  if (status === 'not_yet_valid') return <span className="badge badge-bad">{t.keyDialog.statusNotYetValid}</span>;
  const shown = {
    checking: ['badge-checking', t.keyDialog.statusChecking],
    good: ['badge-valid', t.keyDialog.statusValid],
    revoked: ['badge-bad', t.keyDialog.statusRevoked],
    unknown: ['badge-unknown', t.keyDialog.statusUnknown],
    untrusted: ['badge-unknown', t.keyDialog.statusUntrusted],
  }[revocation];
  return (
    <span className={`badge ${shown[0]}`} data-revocation={revocation}>
      {shown[1]}
    </span>
  );
}
