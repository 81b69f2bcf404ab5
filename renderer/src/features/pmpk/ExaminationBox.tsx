/**
 * The application card's PMPK examination (seed 000): the booking for this application, which can
 * be cancelled here, or the way to book one.
 */
import { useState } from 'react';
import type { ApplicationCard } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { formatDateTime } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { CancelBookingDialog } from './CancelBookingDialog.tsx';
import { bookingAddress, bookingCommission } from './names.ts';

export function ExaminationBox({ card }: { card: ApplicationCard }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const bookings = useCall('pmpk.bookings', {});
  const [cancelOpen, setCancelOpen] = useState(false);
  if (!bookings.isSuccess) return null;
  const booking = bookings.data.items.find((b) => b.applicationId === card.id && b.cancellable);
  const p = t.pmpk;
  return (
    <div className="card examination-box" role="region" aria-label={p.cardTitle}>
      <h2>{p.cardTitle}</h2>
      {booking ? (
        <>
          <p>
            {interpolate(p.cardBooked, {
              date: formatDateTime(booking.startsAt),
              commission: bookingCommission(booking, language),
              address: bookingAddress(booking, language),
            })}
          </p>
          <button type="button" className="button danger-outline" onClick={() => setCancelOpen(true)} data-action="cancel-booking">
            {p.cancel}
          </button>
          {cancelOpen && <CancelBookingDialog booking={booking} onClose={() => setCancelOpen(false)} />}
        </>
      ) : (
        <>
          <p>{p.cardNone}</p>
          <button type="button" className="button primary" onClick={() => navigate({ name: 'pmpkBook', applicationId: card.id })} data-action="book-examination">
            {p.book}
          </button>
        </>
      )}
    </div>
  );
}
