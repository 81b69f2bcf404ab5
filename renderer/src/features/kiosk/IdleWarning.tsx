/** The countdown before an idle session ends (kiosk mode's idle timeout): continue, or end now. */
import { useId, useRef } from 'react';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { Modal } from '../../shared/Modal.tsx';
import { useIdleCountdown } from './use-idle-countdown.ts';

export function IdleWarning({ timeoutSeconds, onEnd }: { timeoutSeconds: number; onEnd: () => void }) {
  const left = useIdleCountdown(timeoutSeconds, onEnd);
  if (left === null) return null;
  return <Countdown seconds={left} onEnd={onEnd} />;
}

function Countdown({ seconds, onEnd }: { seconds: number; onEnd: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const continueRef = useRef<HTMLButtonElement>(null);
  // Any input restarts the count (use-idle-countdown.ts), so "Continue" needs no handler of its own;
  // Esc counts as input too.
  const keep = () => undefined;
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-text`} onClose={keep} initialFocus={continueRef} role="alertdialog" className="confirm-dialog idle-warning">
      <div className="modal-body">
        <h2 id={`${id}-title`}>{t.kiosk.idleTitle}</h2>
        <p id={`${id}-text`} className="confirm-text" role="timer" aria-live="off">
          {interpolate(t.kiosk.idleText, { seconds })}
        </p>
        <div className="dialog-actions">
          <button ref={continueRef} type="button" className="button primary" onClick={keep} data-action="keep-session">
            {t.kiosk.keepSession}
          </button>
          <button type="button" className="button secondary" onClick={onEnd}>
            {t.kiosk.endNow}
          </button>
        </div>
      </div>
    </Modal>
  );
}
