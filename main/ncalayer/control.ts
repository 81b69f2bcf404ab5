/**
 * The NCALayer-compatible service as part of the app (docs/ncalayer.md, "In the app"): on when the
 * user's setting says so (off by default) or the administrator's policy forces it (`ncalayer`,
 * which also locks it off); started at launch, started and stopped from the settings; the site
 * requests go to the window (window-user.ts). What the user chose (on or off, the remembered
 * sites, whether Joldama added its certificate to their trust store) is kept in `ncalayer.json` in
 * the user's data folder, validated when read (an invalid file counts as none).
 *
 * The server and its signing code are loaded only when the service starts.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { NcaLayerStatus, SiteAnswer } from '../../contract/contract.ts';
import { AppFailure } from '../errors.ts';
import { writeJsonAtomically } from '../settings.ts';
import type { SigningService } from '../signing-service.ts';
import type { NcaLayerServer } from './server.ts';
import type { LocalCertificate } from './tls.ts';
import { addToUserTrustStore, trustOs, userTrustCommand, type RunCommand, type TrustEnvironment } from './trust-step.ts';
import { WindowUser } from './window-user.ts';

export const NCALAYER_STATE_FILE = 'ncalayer.json';

/** NCALayer's storage names for the tokens plugged in (commonUtils.getActiveTokens), by maker and model. */
const STORAGE_NAMES: Array<[RegExp, string]> = [
  [/kaztoken/i, 'AKKaztokenStore'],
  [/id ?card|kzidcard|eid/i, 'AKKZIDCardStore'],
  [/jacarta/i, 'AKJaCartaStore'],
  [/etoken/i, 'AKEToken72KStore'],
  [/akey/i, 'AKAKEYStore'],
];

export function tokenStorageNames(tokens: ReadonlyArray<{ manufacturer: string; model: string; label: string }>): string[] {
  const names = new Set<string>();
  for (const token of tokens) {
    const text = `${token.manufacturer} ${token.model} ${token.label}`;
    const known = STORAGE_NAMES.find(([pattern]) => pattern.test(text));
    if (known) names.add(known[1]);
  }
  return [...names];
}

const Stored = z.object({
  enabled: z.boolean().default(false),
  sites: z.array(z.string().max(300)).max(1000).default([]),
  /** The certificate Joldama added to the user's trust store (its SHA-256), when it did. */
  trusted: z.string().max(128).nullable().default(null),
});
type Stored = z.infer<typeof Stored>;

export interface NcaLayerControlOptions {
  /** The user's data folder: the state file and the certificate. */
  dataDir: string;
  /** The administrator's policy: forced on or off; null: the user's setting. */
  forced: boolean | null;
  /** Default 13579; 0: a free port (tests). */
  port?: number;
  signing: Pick<SigningService, 'withSigner'>;
  /** The `ncalayer.request` and `ncalayer.requestClosed` events, and whether a window listens. */
  window: Pick<ConstructorParameters<typeof WindowUser>[0], 'show' | 'closed' | 'windowOpen' | 'activeTokens'>;
  /** Where the trust step runs (default: this process's). */
  trustEnvironment?: TrustEnvironment;
  runCommand?: RunCommand;
  warn?: (message: string) => void;
}

export class NcaLayerControl {
  readonly user: WindowUser;
  private stored: Promise<Stored> | undefined;
  private server: NcaLayerServer | undefined;
  private port: number | null = null;
  private problem: NcaLayerStatus['problem'] = null;
  private certificate: LocalCertificate | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly file: string;
  private readonly trustEnvironment: TrustEnvironment;

  constructor(private readonly options: NcaLayerControlOptions) {
    this.file = path.join(options.dataDir, NCALAYER_STATE_FILE);
    this.trustEnvironment = options.trustEnvironment ?? { platform: process.platform, env: process.env, home: os.homedir() };
    this.user = new WindowUser({
      ...options.window,
      withSigner: (ref, secret, purpose, use) => options.signing.withSigner(ref, secret, purpose ? { purpose } : {}, (signer) => use(signer)),
    });
  }

  /** At launch: starts when on; a port held by NCALayer is reported in the status, not thrown. */
  async startIfEnabled(): Promise<void> {
    if (!(await this.enabled())) return;
    await this.start().catch(() => undefined);
  }

  async setEnabled(enabled: boolean): Promise<NcaLayerStatus> {
    if (this.options.forced !== null) throw new AppFailure('SETTING_LOCKED', 'the policy decides the NCALayer service', { field: 'ncalayer' });
    if (enabled) {
      await this.start();
    } else {
      await this.stop();
      this.problem = null;
    }
    await this.save({ enabled });
    return this.status();
  }

  async status(): Promise<NcaLayerStatus> {
    // A site remembered a moment ago is being written: show it.
    await this.writes;
    const stored = await this.load();
    const certificate = this.certificate;
    return {
      enabled: await this.enabled(),
      locked: this.options.forced !== null,
      running: this.server !== undefined,
      port: this.port,
      problem: this.problem,
      certificate: certificate
        ? { path: certificate.certificatePath, fingerprint256: certificate.fingerprint256, notAfter: certificate.notAfter.toISOString(), created: certificate.created }
        : null,
      trust: {
        os: trustOs(this.trustEnvironment.platform),
        automatic: certificate !== undefined && (await userTrustCommand(certificate.certificatePath, this.trustEnvironment)) !== undefined,
        added: certificate !== undefined && stored.trusted === certificate.fingerprint256,
      },
      rememberedSites: stored.sites,
    };
  }

  /** The user asked Joldama to add the certificate to their own trust store. */
  async trust(): Promise<NcaLayerStatus> {
    const certificate = this.certificate;
    const command = certificate && (await userTrustCommand(certificate.certificatePath, this.trustEnvironment));
    if (!certificate || !command) throw new AppFailure('NCALAYER_TRUST_UNAVAILABLE');
    try {
      await addToUserTrustStore(command, this.options.runCommand);
    } catch {
      throw new AppFailure('NCALAYER_TRUST_FAILED');
    }
    await this.save({ trusted: certificate.fingerprint256 });
    return this.status();
  }

  answer(requestId: string, answer: SiteAnswer): Promise<void> {
    return this.user.answer(requestId, answer);
  }

  /** The window closed or the session ended: a request waiting for it gets the cancel reply. */
  cancelPending(): void {
    this.user.cancelPending();
  }

  /** The next person on a shared computer starts with no remembered sites. */
  async forgetSites(): Promise<void> {
    this.cancelPending();
    await this.save({ sites: [] });
    // The running service's policy holds them too: start it afresh.
    if (this.server) {
      await this.stop();
      await this.start().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.cancelPending();
    const server = this.server;
    this.server = undefined;
    this.port = null;
    await server?.stop();
  }

  private async enabled(): Promise<boolean> {
    return this.options.forced ?? (await this.load()).enabled;
  }

  private async start(): Promise<void> {
    if (this.server) return;
    const [{ NcaLayerServer }, { OriginPolicy }, { ensureLocalCertificate }] = await Promise.all([
      import('./server.ts'),
      import('./origin-policy.ts'),
      import('./tls.ts'),
    ]);
    try {
      this.certificate = await ensureLocalCertificate(this.options.dataDir);
      const policy = new OriginPolicy({
        remembered: (await this.load()).sites,
        onRememberedChange: (sites) => void this.save({ sites }).catch(() => this.options.warn?.('could not save the remembered sites')),
      });
      const server = new NcaLayerServer({
        enabled: true,
        tls: this.certificate,
        user: this.user,
        policy,
        ...(this.options.port !== undefined ? { port: this.options.port } : {}),
        onInternalError: (e) => this.options.warn?.(`NCALayer service: ${e instanceof Error ? e.name : 'error'}`),
      });
      this.port = (await server.start()) ?? null;
      this.server = server;
      this.problem = null;
    } catch (e) {
      const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
      this.problem = inUse ? 'NCALAYER_PORT_IN_USE' : 'NCALAYER_START_FAILED';
      throw new AppFailure(this.problem);
    }
  }

  private load(): Promise<Stored> {
    return (this.stored ??= readFile(this.file, 'utf8').then(
      (text) => {
        try {
          return Stored.parse(JSON.parse(text));
        } catch {
          this.options.warn?.(`${NCALAYER_STATE_FILE} was invalid; the NCALayer service starts from its defaults`);
          return Stored.parse({});
        }
      },
      () => Stored.parse({}),
    ));
  }

  /** One write at a time, each on top of the last. */
  private save(change: Partial<Stored>): Promise<void> {
    const write = this.writes.then(async () => {
      const next = { ...(await this.load()), ...change };
      await writeJsonAtomically(this.file, next);
      this.stored = Promise.resolve(next);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
