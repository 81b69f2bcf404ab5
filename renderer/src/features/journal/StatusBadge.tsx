/** An application's status as a readable badge with the seed's name; a live offer adds its deadline. */
import { formatDeadline } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { statusName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ProvisionalDeadline } from '../../shared/ProvisionalDeadline.tsx';

/** A live offer's deadline, and whether it may still move (deadlineProvisional). */
export interface OfferDeadline {
  expiresAt: string;
  provisional: boolean;
}

export function StatusBadge({ status, deadline }: { status: string; deadline?: OfferDeadline | undefined }) {
  const { t } = useI18n();
  return (
    <span className="status">
      <span className={`badge status-${status}`} data-status={status}>
        {statusName(t, status)}
      </span>
      {deadline && <span className="status-deadline">{interpolate(t.journal.offerUntil, { date: formatDeadline(deadline.expiresAt) })}</span>}
      {deadline && <ProvisionalDeadline provisional={deadline.provisional} short />}
    </span>
  );
}
