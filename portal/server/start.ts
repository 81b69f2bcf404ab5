/**
 * startPortal: the whole portal process (database, signature verification in worker threads with
 * their trust store and revocation caches, outbox delivery, scheduler) listening on host:port. Used by `joldama portal` and, through the demo
 * composer (demo/portal/start.ts, which adds the demo PKI, its OCSP/CRL routes and demo data by
 * the `extend` hook), by browser mode and the end-to-end tests.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { loadTrustStore } from '../../signing/index.ts';
import type { DB } from '../db/schema.ts';
import type { SupportContacts } from '../../protocol/portal-api.ts';
import { migrateToLatest, openDatabase, reportConnectionErrorOnStderr } from '../db/database.ts';
import { clockFromOption } from '../scheduler/clock.ts';
import { buildPortal } from './app.ts';
import type { TrustProxy } from './trust-proxy.ts';
import { defaultDataDir } from './data-dir.ts';
import { createVerificationPool } from '../verification/verification-pool.ts';
import type { VerifierSettings } from '../verification/messages.ts';
import { smsSenderFromEnv, smtpSenderFromEnv, type Sender } from '../notifications/senders.ts';
import { startDeliveryLoop } from '../notifications/outbox.ts';
import { outboxNotificationSink } from '../notifications/outbox-sink.ts';
import type { QueueConfig } from '../queue/config.ts';
import { createQueueEngine } from '../queue/engine.ts';
import { scheduleYearlyUpdate } from '../queue/yearly-update.ts';
import { scheduleGroupMoves } from '../queue/age-groups.ts';
import { schedulePmpkReminders } from '../queue/pmpk-expiry.ts';
import { checkCalendarYears } from '../calendar/years.ts';
import { startScheduler } from '../scheduler/jobs.ts';
import { loginHousekeeping } from '../auth/housekeeping.ts';
import { JOB_PROOF_PURGE, onProofPurge, scheduleProofPurge } from '../applications/benefit-proofs.ts';
import { settlePendingClaims } from '../documents/pending-claims.ts';
import { renderPendingReferralPdfs } from '../documents/pending-referral-pdfs.ts';

export const DEFAULT_PORT = 8740;
const UPKEEP_EVERY_MS = 60 * 60_000;
/** The largest signed document the portal reads (login documents and referral requests are a few KiB). */
const MAX_SIGNED_XML_BYTES = 64 * 1024;

export interface StartPortalOptions {
  /** Default 8740; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SQLite file, ":memory:" or postgres://...; default portal.sqlite in the data folder. */
  db?: string;
  /** PostgreSQL: the most connections the portal opens (default 10; docs/operations.md). */
  dbPool?: number;
  /** What a composer adds (the demo: its PKI, OCSP/CRL routes, data and a local message sender). */
  extend?: (portal: PortalBeingBuilt) => Promise<PortalExtension>;
  /** ISO-8601 instant the portal's clock starts at (then runs at real speed). */
  clock?: string;
  /** Public origin checked in every signed login; default http://host:port. */
  origin?: string;
  /** Also trust the NCA test roots. */
  ncaTest?: boolean;
  /** Default: the user's data folder (XDG_DATA_HOME / APPDATA). */
  dataDir?: string;
  /** Default true (JSON logs to stdout); or where to write the JSON lines. */
  log?: boolean | { write(line: string): void };
  /**
   * CRL files (DER or PEM) that decide revocation, read once at start: no OCSP, no downloads
   * (`--crl`). A CRL past its nextUpdate decides nothing (logins are refused as revocation unknown):
   * replace the files and restart.
   */
  crls?: string[];
  /** false: revocation is not checked at all (`--no-revocation`, offline demos only). */
  revocation?: false;
  /** The reverse proxies whose X-Forwarded-For names the client (server/trust-proxy.ts). Default: none. */
  trustProxy?: TrustProxy;
  /** BINs of the organisations whose staff administer the portal (the working-day calendar); see PortalOptions.adminBins. */
  adminBins?: readonly string[];
  /**
   * The queue rules' periods and ratio (portal/queue/config.ts; default: Order No. 254's). The one
   * place the portal reads them: the allocator and the journal's numbers both follow `priorityEvery`.
   */
  queue?: Partial<QueueConfig>;
  /** Support contacts shown to applicants; an extension's take precedence. Default: none. */
  support?: SupportContacts;
}

/** What an extension is told about the portal it extends. */
export interface PortalBeingBuilt {
  url: string;
  dataDir: string;
  now: () => Date;
}

/** Additions to a portal; each is optional. */
export interface PortalExtension {
  /** More trust anchors (PEM or DER certificate files). */
  trust?: string[];
  /** Ask this OCSP responder for every certificate instead of the address the certificate names. */
  ocspUrl?: string;
  /** More routes (registered beside the API). */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Runs once the database is migrated, before the portal listens. */
  seed?: (db: Kysely<DB>, now: Date) => Promise<void>;
  /** Support contacts shown to applicants (the demo's). */
  support?: SupportContacts;
  /** Where e-mail and SMS go when no SMTP server is configured; `log` writes to the portal's log. */
  sender?: (log: (message: string, detail: unknown) => void) => Sender;
}

export interface RunningPortal {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const NO_REVOCATION_WARNING =
  'REVOCATION IS NOT CHECKED (--no-revocation): revoked certificates are accepted. For offline demos only.';
export const CRL_FILES_WARNING =
  'Revocation is decided by the CRL files given (--crl) alone, read once at start: no OCSP, no downloads. Replace them and restart before they expire.';

function revocationSettings(options: StartPortalOptions, extension: PortalExtension): VerifierSettings['revocation'] {
  if (options.revocation === false) {
    if (options.crls?.length) throw new Error('--crl and --no-revocation contradict each other: give one of them');
    return false;
  }
  if (options.crls?.length) return { crlFiles: options.crls };
  return extension.ocspUrl ? { ocspUrl: extension.ocspUrl } : {};
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPortal(options: StartPortalOptions = {}): Promise<RunningPortal> {
  const clock = clockFromOption(options.clock); // a bad --clock fails before anything is created
  const host = options.host ?? '127.0.0.1';
  const port = options.port === 0 ? await freePort(host) : (options.port ?? DEFAULT_PORT);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const origin = options.origin ?? url;
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true });

  const extension = options.extend ? await options.extend({ url, dataDir, now: () => clock.now() }) : {};
  const settings: VerifierSettings = {
    trust: { production: true, ncaTest: options.ncaTest ?? false, extra: extension.trust ?? [] },
    revocation: revocationSettings(options, extension),
    maxBytes: MAX_SIGNED_XML_BYTES,
  };
  // The workers load the trust store and CRLs themselves; loading them here too fails a bad one at once.
  await loadTrustStore(settings.trust);
  for (const file of options.crls ?? []) await readFile(file);
  // Verification runs in worker threads, each with its revocation cache for the portal's lifetime;
  // they start now and load while the database is prepared.
  const workerErrors = { report: (e: Error): void => void process.stderr.write(`${e.message}\n`) };
  const verifier = createVerificationPool({ settings, now: () => clock.now(), onError: (e) => workerErrors.report(e) });

  // Until the server's logger exists, a lost database connection is reported on stderr.
  const connectionErrors = { report: reportConnectionErrorOnStderr };
  const database = openDatabase(options.db ?? join(dataDir, 'portal.sqlite'), {
    onConnectionError: (e) => connectionErrors.report(e),
    poolSize: options.dbPool,
  });
  let app: FastifyInstance | undefined;
  try {
    await migrateToLatest(database.db);
    const queue = createQueueEngine({ db: database.db, clock, config: options.queue, notifications: outboxNotificationSink });
    if (extension.seed) await extension.seed(database.db, clock.now());
    const support = extension.support ?? options.support;
    app = await buildPortal({
      db: database.db,
      origin,
      verify: verifier.verify,
      queue,
      now: () => clock.now(),
      trustProxy: options.trustProxy,
      logger: options.log === false ? false : undefined,
      logStream: typeof options.log === 'object' ? options.log : undefined,
      extraRoutes: extension.routes,
      adminBins: options.adminBins,
      ...(support ? { support } : {}),
    });
    const log = app.log;
    connectionErrors.report = (e) => log.warn({ err: e }, 'database connection lost; a new one is opened when needed');
    workerErrors.report = (e) => log.error({ err: e }, 'signature verification worker');
    if (settings.revocation === false) log.warn(NO_REVOCATION_WARNING);
    else if (settings.revocation.crlFiles) log.warn({ crls: settings.revocation.crlFiles }, CRL_FILES_WARNING);
    // No login is taken before it can be verified.
    await verifier.ready();
    log.info({ workers: verifier.size, entry: relative(process.cwd(), verifier.entry) }, 'signatures are verified in worker threads');

    const localSender = extension.sender?.((message, detail) => log.info({ detail }, message));
    const email: Sender | undefined = smtpSenderFromEnv() ?? localSender;
    const sms: Sender | undefined = smsSenderFromEnv() ?? localSender;
    const delivery = startDeliveryLoop(database.db, { email, sms }, () => clock.now(), (e) => log.error({ err: e }, 'outbox delivery failed'));

    // Hourly upkeep: the current and next calendar years stored, and warned about loudly while no
    // administrator has confirmed them; the next yearly queue update, August moves and PMPK reminders
    // scheduled, and the hour's purge of unused benefit proofs (the scheduler runs them).
    let lastUpkeep = -Infinity;
    const upkeep = async (now: Date) => {
      if (performance.now() - lastUpkeep < UPKEEP_EVERY_MS) return;
      lastUpkeep = performance.now();
      await checkCalendarYears(database.db, now, (message, years) => log.warn({ unconfirmedCalendarYears: years }, message));
      await scheduleYearlyUpdate(database.db, now);
      await scheduleGroupMoves(database.db, now);
      await schedulePmpkReminders(database.db, now, queue.config.pmpkReminderDays);
      await scheduleProofPurge(database.db, now);
    };
    await upkeep(clock.now());

    // Deadlines (offer expiry, referral confirmation), the yearly update and the referral claims a
    // crash left pending are settled on the portal's clock, catching up at start, and referral PDFs
    // still to render are rendered; expired sessions and old challenges are deleted once an hour.
    const logins = loginHousekeeping(database.db);
    const scheduler = startScheduler({
      db: database.db,
      clock,
      handlers: { ...queue.jobHandlers, [JOB_PROOF_PURGE]: onProofPurge },
      onError: (e) => log.error({ err: e }, 'scheduler tick failed'),
      afterTick: async (now) => {
        await queue.reofferOpenVacancies();
        await settlePendingClaims(database.db, now, (e) => log.error({ err: e }, 'a pending referral claim could not be settled'));
        await renderPendingReferralPdfs(database.db, (e) => log.error({ err: e }, 'a referral PDF could not be rendered'));
        const purged = await logins.tidy(now);
        if (purged) log.info(purged, 'expired logins deleted');
        await upkeep(now);
      },
    });

    await app.listen({ port, host }).catch(async (e: unknown) => {
      await scheduler.stop();
      await delivery.stop();
      throw e;
    });
    const running = app;
    return {
      url,
      app: running,
      async close() {
        await scheduler.stop();
        await delivery.stop();
        await running.close();
        await verifier.close();
        await database.close();
      },
    };
  } catch (e) {
    await app?.close();
    await verifier.close();
    await database.close();
    throw e;
  }
}
