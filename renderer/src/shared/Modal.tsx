/**
 * The one modal: a <dialog> opened with showModal (the page behind is inert), Tab and Shift+Tab
 * kept inside, Esc asks to close (refused while `busy`), focus given to the first field or to
 * `initialFocus`, and given back to whatever had it when the modal closes. Used by the key dialog
 * and every confirmation.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]';

export interface ModalProps {
  labelledBy: string;
  describedBy?: string | undefined;
  /** Esc or a close button: the caller decides (unmounts the modal). */
  onClose: () => void;
  /** While true, Esc does nothing (an operation is running). */
  busy?: boolean;
  /** What gets focus on opening; default: the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
}

export function Modal({ labelledBy, describedBy, onClose, busy = false, initialFocus, className, role, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);

  // Once, on mount: open modally and focus; on unmount give focus back to the opener.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const target = initialFocus?.current ?? dialog?.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
    // Opening and focus return happen once; later prop changes must not re-run them.
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== 'Tab' || !ref.current) return;
    const focusable = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      role={role}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault(); // Esc: closed through React state, not by the browser.
        if (!busy) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
