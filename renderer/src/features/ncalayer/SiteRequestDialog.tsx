/**
 * A web site's signing request (the NCALayer service, docs/ncalayer.md): the key dialog in its
 * site-request mode. The user picks a key as for any signing (file or token) and confirms; main
 * opens it and signs. A failure main reports (a wrong password, a key the site does not accept)
 * stays in the dialog for another try; Cancel answers the site "cancelled", Refuse refuses the
 * site for a while.
 */
import type { AppError, SiteRequest } from '../../../../contract/contract.ts';
import { useApi } from '../../app/api.tsx';
import { KeyDialog, type KeyChoice } from '../sign/KeyDialog.tsx';

export interface SiteRequestDialogProps {
  request: SiteRequest;
  /** The request is over (answered, cancelled, or withdrawn by main): close the dialog. */
  onDone: () => void;
}

export function SiteRequestDialog({ request, onDone }: SiteRequestDialogProps) {
  const api = useApi();

  async function sign(choice: KeyChoice & { rememberOrigin?: boolean }): Promise<AppError | null> {
    const result = await api['ncalayer.answer']({
      requestId: request.requestId,
      answer: { outcome: 'confirmed', ref: choice.ref, secret: choice.secret, rememberOrigin: choice.rememberOrigin ?? false },
    });
    if (result.ok) {
      onDone();
      return null;
    }
    return result.error;
  }

  function decline(outcome: 'cancelled' | 'refused') {
    // Closed at once: main's refusal of a stale id changes nothing the user can act on.
    void api['ncalayer.answer']({ requestId: request.requestId, answer: { outcome } });
    onDone();
  }

  return (
    <KeyDialog
      purpose={request.key.purpose ?? 'ANY'}
      site={{ request, onRefuse: () => decline('refused') }}
      onSign={sign}
      onCancel={() => decline('cancelled')}
    />
  );
}
