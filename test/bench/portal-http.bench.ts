/**
 * Portal HTTP benchmark (npm run bench:portal), SQLite and PostgreSQL side by side:
 *  - journal reads: GET /api/applications over 100 concurrent connections (target p99 < 50 ms);
 *  - certificate logins: POST /api/auth/login with real demo-key signatures, full signature and
 *    chain check, OCSP answered by the demo responder and cached (target ≥ 300/s).
 * Each login needs its own challenge, so challenges are issued and signed before the run.
 * The journal run is preceded by a 2 s warm-up that is not reported (steady state, as a running
 * portal is; a cold start's JIT put the 5 s run's p99 at ~58 ms against ~30 ms warm).
 * Options: BENCH_SECONDS (default 5), BENCH_LOGINS (pre-signed login documents, default 3000),
 * BENCH_DATABASES (default "sqlite,postgres"). PostgreSQL runs crash-safe (fsync, full-page writes;
 * synchronous_commit=off like SQLite's synchronous=NORMAL): the tests' fsync=off made no measured
 * difference here (journal ~3,500 req/s, logins ~500/s either way), but a benchmark should not rest on it.
 * Columns: `errors` are socket errors and non-2xx answers, `timeouts` requests autocannon gave up on
 * after 10 s (autocannon counts them as errors too: on a loaded machine they were the "unexplained"
 * failed logins; the portal still completed those logins), `failures` the refusal codes of non-2xx
 * logins. Pre-signing must finish well inside the challenge lifetime (CHALLENGE_TTL_MS), or the first
 * challenges would expire before the run reaches them: the bench refuses to start in that case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import { buildLoginXml } from '../../protocol/signed-documents.ts';
import { CHALLENGE_TTL_MS } from '../../portal/auth/challenges.ts';
import { buildPortal } from '../../portal/server/app.ts';
import { migrateToLatest, openDatabase, type Database } from '../../portal/db/database.ts';
import { createQueueEngine } from '../../portal/queue/engine.ts';
import { outboxNotificationSink } from '../../portal/notifications/outbox-sink.ts';
import { seedDemo } from '../../demo/portal/seed.ts';
import {
  createRevocationChecker,
  fileSigner,
  loadTrustStore,
  openKeyStore,
  signXml,
  verifyXml,
  type Signer,
} from '../../signing/index.ts';
import { loadDemoOcspResponder, startOcspServer } from '../../demo/pki/ocsp-responder.ts';
import { generateDemoPki } from '../../demo/pki/generate.ts';
import { startPostgresCluster } from '../helpers/postgres.ts';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
const LOGINS = Number(process.env.BENCH_LOGINS ?? 3000);
const ORIGIN = 'http://127.0.0.1';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');

interface Row {
  database: string;
  scenario: string;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  errors: number;
  timeouts: number;
  target: string;
  failures: string;
}

async function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function benchDatabase(
  kind: string,
  database: Database,
  pki: { dir: string; ocspUrl: string; signer: Signer; iin: string; trustExtra: string[] },
): Promise<Row[]> {
  await migrateToLatest(database.db);
  const now = new Date();
  await seedDemo(database.db, { now, applications: 3000 });
  const trust = await loadTrustStore({ production: true, extra: pki.trustExtra });
  const checker = createRevocationChecker();
  const queue = createQueueEngine({
    db: database.db,
    clock: { now: () => new Date() },
    notifications: outboxNotificationSink,
  });
  const app: FastifyInstance = await buildPortal({
    db: database.db,
    origin: ORIGIN,
    queue,
    logger: false,
    loginRateLimit: 1_000_000,
    verify: (xml, check) =>
      verifyXml(xml, {
        trust,
        purpose: check.purpose,
        at: check.at,
        maxBytes: 65536,
        revocation: { checker, ocspUrl: pki.ocspUrl },
      }),
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  // Pre-signed logins (client-side work, not measured).
  const signingStarted = Date.now();
  const bodies: string[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const { nonce } = (await (await fetch(`${address}/api/auth/challenge`, { method: 'POST' })).json()) as {
      nonce: string;
    };
    const signedXml = await signXml(
      buildLoginXml({ nonce, origin: ORIGIN, timestamp: new Date().toISOString() }),
      pki.signer,
    );
    bodies.push(JSON.stringify({ signedXml }));
  }
  const signingMs = Date.now() - signingStarted;
  if (signingMs > CHALLENGE_TTL_MS / 2)
    throw new Error(
      `pre-signing ${LOGINS} logins took ${Math.round(signingMs / 1000)} s: their challenges would expire during the run; lower BENCH_LOGINS`,
    );
  const first = bodies.pop() as string;
  const warm = (await (
    await fetch(`${address}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: first,
    })
  ).json()) as { token?: string; code?: string };
  if (!warm.token) throw new Error(`login failed: ${JSON.stringify(warm)}`);

  const journalRun: autocannon.Options = {
    url: `${address}/api/applications`,
    connections: 100,
    duration: SECONDS,
    // The client in its own thread: sharing the server's event loop added seconds to the p99.
    workers: 1,
    headers: { authorization: `Bearer ${warm.token}` },
  };
  // A running portal is warm: the first seconds of a cold one (JIT, caches) are not measured.
  await run({ ...journalRun, duration: WARMUP_SECONDS });
  const journal = await run(journalRun);
  let next = 0;
  const failures = new Map<string, number>();
  const logins = await run({
    url: `${address}/api/auth/login`,
    connections: 20,
    amount: bodies.length,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
        onResponse: (status, body) => {
          if (status === 200) return;
          const code = /"code":"(\w+)"/.exec(body)?.[1] ?? `HTTP ${status}`;
          failures.set(code, (failures.get(code) ?? 0) + 1);
        },
      },
    ],
  });
  await app.close();
  const row = (
    scenario: string,
    r: autocannon.Result,
    target: string,
    failed = new Map<string, number>(),
  ): Row => ({
    database: kind,
    scenario,
    // Completed requests over the run's measured duration: autocannon's per-second average counts
    // whole seconds only, which capped a 3,000-login run at 750/s.
    'req/s': Math.round(r.requests.total / r.duration),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    errors: r.errors - r.timeouts + r.non2xx,
    timeouts: r.timeouts,
    target,
    failures: [...failed].map(([code, n]) => `${code}×${n}`).join(' '),
  });
  return [
    row('journal GET, 100 conns', journal, 'p99 < 50 ms'),
    row('certificate login, 20 conns', logins, '≥ 300/s', failures),
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'joldama-bench-'));
  const pkiDir = join(dir, 'pki');
  const index = await generateDemoPki(pkiDir);
  const ocsp = await startOcspServer(await loadDemoOcspResponder(pkiDir), 0);
  const key = index.keys.find(
    (k) => k.status === 'valid' && k.role === 'individual' && k.purposes.includes('AUTH'),
  );
  if (!key) throw new Error('no demo AUTH key');
  const [opened] = await openKeyStore(join(pkiDir, key.file), index.password);
  if (!opened) throw new Error('empty key store');
  const pki = {
    dir: pkiDir,
    ocspUrl: ocsp.url,
    signer: fileSigner(opened),
    iin: key.iin ?? '',
    trustExtra: [join(pkiDir, index.ca.root), join(pkiDir, index.ca.intermediate)],
  };
  const rows: Row[] = [];
  if (DATABASES.includes('sqlite')) {
    const sqlite = openDatabase(join(dir, 'bench.sqlite'));
    rows.push(...(await benchDatabase('sqlite', sqlite, pki)));
    await sqlite.close();
  }

  // Crash-safe settings, as a deployment runs (the tests' cluster skips fsync and full-page writes).
  const cluster = DATABASES.includes('postgres') ? await startPostgresCluster({ durable: true }) : undefined;
  try {
    if (cluster) {
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE bench');
      await admin.end();
      const url = new URL(cluster.adminUrl);
      url.pathname = '/bench';
      const postgres = openDatabase(url.toString());
      rows.push(...(await benchDatabase('postgres', postgres, pki)));
      await postgres.close();
    }
  } finally {
    cluster?.stop();
    await ocsp.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
}

await main();
