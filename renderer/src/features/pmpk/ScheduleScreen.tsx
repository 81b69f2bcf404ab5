/**
 * «ПМПК-дағы тексерулер кестесі» (seed 000): every examination the applicant booked, soonest
 * first, with the commission, its address, the child and the application; a booking still to come
 * can be cancelled here, after a confirmation.
 */
import { useState } from 'react';
import type { PmpkBooking } from '../../../../protocol/pmpk-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { CancelBookingDialog } from './CancelBookingDialog.tsx';
import { bookingAddress, bookingCommission } from './names.ts';
import { PageHeading } from '../../shared/PageHeading.tsx';

export function ScheduleScreen() {
  const { t } = useI18n();
  const bookings = useCall('pmpk.bookings', {});
  const [cancelling, setCancelling] = useState<PmpkBooking | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="pmpk-schedule-title">
      <PageHeading id="pmpk-schedule-title" title={t.pmpk.scheduleTitle} subtitle={t.pmpk.scheduleText} />
      <p role="status" className={notice ? 'notice' : 'visually-hidden'}>
        {notice ?? ''}
      </p>
      <QueryView query={bookings} isEmpty={(d) => d.items.length === 0} empty={<p>{t.pmpk.empty}</p>}>
        {(data) => (
          <ul className="booking-list">
            {data.items.map((b) => (
              <BookingItem key={b.id} booking={b} onCancel={() => setCancelling(b)} />
            ))}
          </ul>
        )}
      </QueryView>
      {cancelling && (
        <CancelBookingDialog
          booking={cancelling}
          onClose={(cancelled) => {
            setCancelling(null);
            if (cancelled) setNotice(t.pmpk.cancelled);
          }}
        />
      )}
    </section>
  );
}

function BookingItem({ booking, onCancel }: { booking: PmpkBooking; onCancel: () => void }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const p = t.pmpk;
  const past = booking.state === 'booked' && !booking.cancellable;
  const state = booking.state === 'cancelled' ? p.stateCancelled : past ? p.statePast : p.stateBooked;
  const badge = booking.state === 'cancelled' ? 'badge-expired' : past ? 'badge-checking' : 'badge-valid';
  return (
    <li className="card booking" data-booking={booking.id} data-state={booking.state}>
      <div className="vacancy-head">
        <h2>{formatDateTime(booking.startsAt)}</h2>
        <span className={`badge ${badge}`}>{state}</span>
      </div>
      <dl className="details">
        <div className="details-row">
          <dt>{p.commission}</dt>
          <dd>{bookingCommission(booking, language)}</dd>
        </div>
        <div className="details-row">
          <dt>{p.address}</dt>
          <dd>{bookingAddress(booking, language)}</dd>
        </div>
        <div className="details-row">
          <dt>{p.child}</dt>
          <dd>{booking.childName}</dd>
        </div>
        <div className="details-row">
          <dt>{p.application}</dt>
          <dd>
            {booking.applicationId === null ? (
              p.noApplication
            ) : (
              <button
                type="button"
                className="row-open"
                onClick={() => booking.applicationId && navigate({ name: 'application', applicationId: booking.applicationId, tab: 'info' })}
              >
                {booking.applicationNumber}
              </button>
            )}
          </dd>
        </div>
      </dl>
      {booking.cancellable && (
        <div className="page-actions">
          <button type="button" className="button danger-outline" onClick={onCancel} data-action="cancel-booking">
            {p.cancel}
          </button>
        </div>
      )}
    </li>
  );
}
