/**
 * startPortal: the whole portal process (database, trust store, revocation cache, demo PKI and
 * data, outbox delivery, scheduler) listening on host:port. Used by `joldama portal`, by main/'s
 * browser mode and by end-to-end tests.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  createRevocationChecker,
  demoPkiIndexSchema,
  generateDemoPki,
  loadTrustStore,
  verifyXml,
} from '../../signing/index.ts';
import { loadDemoOcspResponder } from '../../signing/demo-pki/ocsp-responder.ts';
import { migrateToLatest, openDatabase, reportConnectionErrorOnStderr } from '../db/database.ts';
import { clockFromOption } from '../scheduler/clock.ts';
import { buildPortal } from './app.ts';
import { defaultDataDir } from './data-dir.ts';
import { demoPkiRoutes } from './demo-routes.ts';
import type { PortalVerifier } from './options.ts';
import { fileSender, smtpSenderFromEnv, type Sender } from '../notifications/senders.ts';
import { startDeliveryLoop } from '../notifications/outbox.ts';
import { outboxNotificationSink } from '../notifications/outbox-sink.ts';
import { createQueueEngine } from '../queue/engine.ts';
import { startScheduler } from '../scheduler/jobs.ts';
import { seedDemo } from '../demo/seed.ts';

export const DEFAULT_PORT = 8740;
/** The largest signed document the portal reads (login documents and referral requests are a few KiB). */
const MAX_SIGNED_XML_BYTES = 64 * 1024;

export interface StartPortalOptions {
  /** Default 8740; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SQLite file, ":memory:" or postgres://...; default portal.sqlite in the data folder. */
  db?: string;
  /** Generate (once) and trust the demo PKI, serve its OCSP/CRL, seed demo data. */
  demo?: boolean;
  /** ISO-8601 instant the portal's clock starts at (then runs at real speed). */
  clock?: string;
  /** Public origin checked in every signed login; default http://host:port. */
  origin?: string;
  /** Also trust the NCA test roots. */
  ncaTest?: boolean;
  /** Default: the user's data folder (XDG_DATA_HOME / APPDATA). */
  dataDir?: string;
  /** Default true (JSON logs to stdout). */
  log?: boolean;
}

export interface RunningPortal {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
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

  // Until the server's logger exists, a lost database connection is reported on stderr.
  const connectionErrors = { report: reportConnectionErrorOnStderr };
  const database = openDatabase(options.db ?? join(dataDir, 'portal.sqlite'), {
    onConnectionError: (e) => connectionErrors.report(e),
  });
  await migrateToLatest(database.db);

  const extraTrust: string[] = [];
  let extraRoutes: ((app: FastifyInstance) => Promise<void>) | undefined;
  if (options.demo) {
    const demoDir = join(dataDir, 'demo-pki');
    if (!existsSync(join(demoDir, 'index.json'))) {
      await mkdir(demoDir, { recursive: true });
      await generateDemoPki(demoDir, { ocspUrl: `${url}/ocsp`, crlUrl: `${url}/crl/demo-ca.crl`, caIssuersUrl: `${url}/ca/demo-ca.pem` });
    }
    const index = demoPkiIndexSchema.parse(JSON.parse(await readFile(join(demoDir, 'index.json'), 'utf8')));
    extraTrust.push(join(demoDir, index.ca.root), join(demoDir, index.ca.intermediate));
    extraRoutes = demoPkiRoutes(demoDir, index, await loadDemoOcspResponder(demoDir, () => clock.now()));
  }
  const trust = await loadTrustStore({ production: true, ncaTest: options.ncaTest ?? false, extra: extraTrust });
  // One revocation cache for the portal's lifetime: OCSP answers are reused (logins stay fast).
  const checker = createRevocationChecker({ clock: () => clock.now() });
  const verify: PortalVerifier = (xml, check) =>
    verifyXml(xml, {
      trust,
      purpose: check.purpose,
      at: check.at,
      maxBytes: MAX_SIGNED_XML_BYTES,
      // The demo certificates name port 8740; on another port the portal answers OCSP itself.
      revocation: { checker, ...(options.demo ? { ocspUrl: `${url}/ocsp` } : {}) },
    });

  const queue = createQueueEngine({ db: database.db, clock, notifications: outboxNotificationSink });
  // Demo data on first start only (seedDemo leaves a database with kindergartens alone).
  if (options.demo) await seedDemo(database.db, { now: clock.now(), notifications: outboxNotificationSink });
  const app = await buildPortal({
    db: database.db,
    origin,
    verify,
    queue,
    now: () => clock.now(),
    logger: options.log === false ? false : undefined,
    extraRoutes,
  });
  connectionErrors.report = (e) => app.log.warn({ err: e }, 'database connection lost; a new one is opened when needed');

  const demoLog = join(dataDir, 'notifications.log');
  // Demo: messages go to a file in the data folder and to the log, nothing leaves the machine.
  const demoSender = options.demo ? fileSender(demoLog, (line) => app.log.info({ notification: JSON.parse(line) as unknown }, 'demo notification')) : undefined;
  const email: Sender | undefined = smtpSenderFromEnv() ?? demoSender;
  const sms: Sender | undefined = demoSender;
  const delivery = startDeliveryLoop(database.db, { email, sms }, () => clock.now(), (e) => app.log.error({ err: e }, 'outbox delivery failed'));

  // Deadlines (offer expiry, referral confirmation) run on the portal's clock, catching up at start.
  const scheduler = startScheduler({
    db: database.db,
    clock,
    handlers: queue.jobHandlers,
    onError: (e) => app.log.error({ err: e }, 'scheduler tick failed'),
    afterTick: async () => {
      await queue.reofferOpenVacancies();
    },
  });

  await app.listen({ port, host });
  return {
    url,
    app,
    async close() {
      await scheduler.stop();
      await delivery.stop();
      await app.close();
      await database.close();
    },
  };
}
