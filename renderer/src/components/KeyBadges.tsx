/** Small labels for a key: its purposes (AUTH / SIGN) and its validity status. */
import type { KeyDetails } from '../../../contract/contract.ts';
import { useI18n } from '../i18n/context.tsx';

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

export function ValidityBadge({ status }: { status: KeyDetails['status'] }) {
  const { t } = useI18n();
  const text = {
    valid: t.keyDialog.statusValid,
    expired: t.keyDialog.statusExpired,
    not_yet_valid: t.keyDialog.statusNotYetValid,
  }[status];
  return <span className={`badge badge-${status}`}>{text}</span>;
}
