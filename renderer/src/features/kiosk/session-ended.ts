/**
 * What the window does when main ends the session by itself (session.ended). In a kiosk, pulling out
 * the token or the USB medium that holds the key means the person is leaving: the whole session is
 * wiped and the next person finds the start screen, as with "End session" (docs/kiosk.md). Elsewhere,
 * and for a lapse at the portal, the login screen says why.
 */
import type { EventPayload } from '../../../../contract/contract.ts';

export function wipesSession(reason: EventPayload<'session.ended'>['reason'], kiosk: boolean): boolean {
  return kiosk && (reason === 'token-removed' || reason === 'medium-removed');
}
