/** «Кезектен алу» asked first: what it means (cannot be undone), the reason, then Yes / No. */
import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorOf, useCallMutation } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ConfirmDialog } from '../../shared/ConfirmDialog.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';

export function DequeueDialog({ applicationId, onClose }: { applicationId: string; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const dequeue = useCallMutation('cabinet.dequeue', {
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      onClose();
    },
  });
  const tooShort = reason.trim().length < 3;
  return (
    <ConfirmDialog
      title={t.application.dequeueTitle}
      confirmLabel={t.application.dequeueConfirm}
      cancelLabel={t.confirm.no}
      onConfirm={() => dequeue.mutate({ applicationId, reason: reason.trim() })}
      onCancel={onClose}
      busy={dequeue.isPending}
      confirmDisabled={tooShort}
      danger
      footer={dequeue.isError ? <ErrorMessage error={describeError(errorOf(dequeue.error), t)} /> : null}
    >
      <p>{t.application.dequeueText}</p>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-reason`}>
          {t.application.dequeueReason}
        </label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          rows={2}
          maxLength={1000}
          aria-describedby={`${id}-hint`}
        />
        <p id={`${id}-hint`} className="field-hint">
          {t.application.dequeueReasonHint}
        </p>
      </div>
    </ConfirmDialog>
  );
}
