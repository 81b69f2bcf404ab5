/** A confirmation in the shared modal: a title, what it means, and the two answers (the seed's Иә / Жоқ). */
import { useId, useRef, type ReactNode } from 'react';
import { Modal } from './Modal.tsx';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  /** A destructive action gets the danger style and focus starts on "No". */
  danger?: boolean;
  /** Shown above the buttons (an error of the action). */
  footer?: ReactNode;
  confirmDisabled?: boolean;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, children, confirmLabel, cancelLabel, onConfirm, onCancel, busy = false, danger = false, footer, confirmDisabled } = props;
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      labelledBy={`${id}-title`}
      describedBy={`${id}-body`}
      onClose={onCancel}
      busy={busy}
      initialFocus={danger ? cancelRef : confirmRef}
      className="confirm-dialog"
      role="alertdialog"
    >
      <div className="modal-body">
        <h2 id={`${id}-title`}>{title}</h2>
        <div id={`${id}-body`} className="confirm-text">
          {children}
        </div>
        {footer}
        <div className="dialog-actions">
          <button
            ref={confirmRef}
            type="button"
            className={danger ? 'button danger' : 'button primary'}
            onClick={onConfirm}
            disabled={busy || confirmDisabled}
          >
            {confirmLabel}
          </button>
          <button ref={cancelRef} type="button" className="button secondary" onClick={onCancel} disabled={busy}>
            {cancelLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
