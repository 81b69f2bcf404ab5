/** An application's status as a readable badge with the seed's name; a live offer adds its deadline. */
import { formatDeadline } from '../../format.ts';
import { interpolate, type Dictionary } from '../../i18n/index.ts';
import { statusName } from '../../i18n/names.ts';
import { ProvisionalDeadline } from '../../shared/ProvisionalDeadline.tsx';

/** A live offer's deadline, and whether it may still move (deadlineProvisional). */
export interface OfferDeadline {
  expiresAt: string;
  provisional: boolean;
}

/** The dictionary comes from the caller: a journal draws a dozen new badges a scrolled frame, each without a context lookup. */
export function StatusBadge({ t, status, deadline }: { t: Dictionary; status: string; deadline?: OfferDeadline | undefined }) {
  const badge = (
    <span className={`badge status-${status}`} data-status={status}>
      {statusName(t, status)}
    </span>
  );
  // The badge alone is one element; the column's wrapper is only for the deadline lines under it.
  if (!deadline) return badge;
  return (
    <span className="status">
      {badge}
      <span className="status-deadline">{interpolate(t.journal.offerUntil, { date: formatDeadline(deadline.expiresAt) })}</span>
      <ProvisionalDeadline provisional={deadline.provisional} short />
    </span>
  );
}
