/**
 * What the preload needs of the contract, without a schema: the call names and the channel
 * names. The preload only forwards (main validates every call, the renderer every event), and it
 * stays small by importing no zod (its bundle is held to a budget in main/electron/build.ts).
 * test/main/contract.test.ts holds CALL_NAMES equal to the contract's calls.
 */

export const CALL_NAMES = [
  'app.info',
  'session.end',
  'portal.info',
  'settings.get',
  'settings.update',
  'keys.pickFile',
  'keys.list',
  'keys.revocation',
  'auth.login',
  'auth.session',
  'auth.setEmail',
  'auth.logout',
  'cabinet.applications',
  'cabinet.journal',
  'cabinet.offers',
  'cabinet.application',
  'cabinet.history',
  'cabinet.documents',
  'cabinet.dequeue',
  'cabinet.vacancies',
  'documents.download',
  'documents.verify',
  'referral.preview',
  'referral.signAndSubmit',
  'referral.retry',
  'pmpk.commissions',
  'pmpk.slots',
  'pmpk.bookings',
  'pmpk.book',
  'pmpk.cancel',
  'keys.tokens',
  // IIN + password login and the cabinet's sections (docs/cabinet.md)
  'auth.passwordStart',
  'auth.passwordCreate',
  'auth.passwordLogin',
  'account.get',
  'account.setPhones',
  'account.setEmail',
  'account.setNotifications',
  'account.changePassword',
  'cabinet.feed',
  'cabinet.feedRead',
  'cabinet.referrals',
  'apply.regions',
  'apply.services',
  'apply.organisations',
  'apply.draft',
  'apply.saveDraft',
  'apply.discardDraft',
  'apply.sendCode',
  'apply.confirmCode',
  'apply.attachProof',
  'apply.preview',
  'apply.signAndSubmit',
  // The NCALayer-compatible signing service (docs/ncalayer.md)
  'ncalayer.status',
  'ncalayer.setEnabled',
  'ncalayer.trust',
  'ncalayer.answer',
  // The wizard's proof file dialog (#14)
  'apply.pickProof',
  // Updates of a home install (#16, docs/kiosk.md "Updates")
  'update.status',
  'update.install',
  // The PMPK commission's view (#14)
  'commission.schedule',
  'commission.conclude',
] as const;

/** The IPC channel name (Electron) and the bridge's route prefix (browser mode). */
export const IPC_CHANNEL = 'joldama:call';
export const RPC_PATH_PREFIX = '/api/rpc/';

/** The IPC channel main sends events on (Electron) and the bridge's event stream (browser mode, server-sent events). */
export const EVENT_CHANNEL = 'joldama:event';
export const EVENTS_PATH = '/api/events';

/** What the preload exposes for events: each one as it came, unchecked (the renderer validates: parseAppEvent). */
export interface RawEvents {
  onEvent(listener: (raw: unknown) => void): () => void;
}
