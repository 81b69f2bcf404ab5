/** «Тексеруге жазылуды болдырмау» asked first (the shared confirmation, No focused): then the place is freed. */
import { useQueryClient } from '@tanstack/react-query';
import type { PmpkBooking } from '../../../../protocol/pmpk-api.ts';
import { errorOf, useCallMutation } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { formatDateTime } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ConfirmDialog } from '../../shared/ConfirmDialog.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { bookingCommission } from './names.ts';

export function CancelBookingDialog({ booking, onClose }: { booking: PmpkBooking; onClose: (cancelled: boolean) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const cancel = useCallMutation('pmpk.cancel', {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['pmpk.bookings'] });
      await queryClient.invalidateQueries({ queryKey: ['pmpk.slots'] });
      onClose(true);
    },
  });
  return (
    <ConfirmDialog
      title={t.pmpk.cancelTitle}
      confirmLabel={t.confirm.yes}
      cancelLabel={t.confirm.no}
      onConfirm={() => cancel.mutate({ bookingId: booking.id })}
      onCancel={() => onClose(false)}
      busy={cancel.isPending}
      danger
      footer={cancel.isError ? <ErrorMessage error={describeError(errorOf(cancel.error), t)} /> : null}
    >
      <p>{interpolate(t.pmpk.cancelQuestion, { date: formatDateTime(booking.startsAt), commission: bookingCommission(booking, language) })}</p>
    </ConfirmDialog>
  );
}
