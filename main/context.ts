/** What call handlers work with: one per app (Electron window or browser-mode bridge). */
import type { ApplicationService } from './application-service.ts';
import type { AuthService } from './auth-service.ts';
import type { CabinetWatch } from './cabinet-watch.ts';
import type { EventHub } from './events.ts';
import type { NcaLayerControl } from './ncalayer/control.ts';
import type { DocumentService } from './document-service.ts';
import type { Policy } from './policy/schema.ts';
import type { PortalClient } from './portal-client.ts';
import type { ReferralService } from './referral-service.ts';
import type { SettingsStore } from './settings.ts';
import type { SigningService } from './signing-service.ts';
import type { TokenService } from './token-service.ts';
import type { TrustService } from './trust-service.ts';
import type { UpdateControl } from './updates.ts';

export interface MainContext {
  version: string;
  mode: 'electron' | 'browser';
  demo: boolean;
  /** Demo mode: the folder holding the demo PKI's key files. */
  demoKeysFolder?: string;
  /** The administrator's policy (kiosk mode, allowed languages, key sources, login methods, idle timeout). */
  policy: Policy;
  settings: SettingsStore;
  signing: SigningService;
  /** Hardware tokens: keys.tokens and the watcher behind `tokens.changed`. */
  tokens: TokenService;
  auth: AuthService;
  portal: PortalClient;
  referral: ReferralService;
  /** The application wizard: draft, contact codes, proof, signed application. */
  applications: ApplicationService;
  /** Events to the window (contract `events`). */
  events: EventHub;
  /** Looks for news in the applicant's feed while the window is in use. */
  cabinetWatch: CabinetWatch;
  /** When the window last called main (epoch ms); dispatch updates it. */
  windowActivity: { lastCallAt: number };
  documents: DocumentService;
  trust: TrustService;
  /**
   * Ends the applicant's session on a shared computer (session-wipe.ts: portal logout, last key
   * folder; in Electron also Chromium's storage and caches and the window's history); resolves to
   * the steps that failed. For the window's "End session" and its idle timeout (kiosk mode).
   */
  endSession: () => Promise<string[]>;
  /** The NCALayer-compatible signing service: on/off, status, the trust step, the window's answers (docs/ncalayer.md). */
  ncalayer: NcaLayerControl;
  /** Electron only: the native open-file dialog (null = cancelled). Absent in browser mode. */
  pickKeyFile?: (startIn: string | null) => Promise<string | null>;
  /** Electron only: the dialog for the application's proof document (null = cancelled). */
  pickProofFile?: () => Promise<string | null>;
  /** Updates of a home install (updates.ts); NO_UPDATES wherever the app never updates itself. */
  updates: UpdateControl;
}
