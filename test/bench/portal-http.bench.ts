/**
 * Portal HTTP benchmark (npm run bench:portal), SQLite and PostgreSQL side by side:
 *  - journal reads: GET /api/applications over 100 concurrent connections (target p99 < 50 ms);
 *  - certificate logins: POST /api/auth/login with real demo-key signatures, full signature and
 *    chain check, OCSP answered by the demo responder and cached (target ≥ 300/s);
 *  - the journal under attack: the same journal run while one client sends the costliest 64 KiB
 *    login documents as fast as the login rate limit lets it (the portal's default, 60 a minute per
 *    client, so its first 60 in a burst), beside a quiet run of the same portal (target: p99 under
 *    attack < 2× the quiet p99). The costliest document is chosen by measuring verifyXml on each
 *    shape that fills the body (attributes, namespace declarations on the document element), signed
 *    with the demo key so that every check runs.
 * Signatures are verified in the portal's worker pool (portal/verification), as `joldama portal` does.
 * Each login needs its own challenge, so challenges are issued and signed before the run.
 * The journal run is preceded by a 2 s warm-up that is not reported (steady state, as a running
 * portal is; a cold start's JIT put the 5 s run's p99 at ~58 ms against ~30 ms warm).
 * Options: BENCH_SECONDS (default 5), BENCH_LOGINS (pre-signed login documents, default 3000),
 * BENCH_DATABASES (default "sqlite,postgres"), BENCH_ATTACK_ROUNDS (quiet/attacked pairs, default 3),
 * BENCH_DB_POOLS (PostgreSQL pool sizes for the journal's --db-pool curve, default "1,2,5,10,20,50"). PostgreSQL runs crash-safe (fsync, full-page writes;
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
import { createVerificationPool, type VerificationPool } from '../../portal/verification/verification-pool.ts';
import { createSession } from '../../portal/auth/sessions.ts';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
const LOGINS = Number(process.env.BENCH_LOGINS ?? 3000);
const ORIGIN = 'http://127.0.0.1';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
/** The login routes' body limit (portal/api/auth-routes.ts). */
const LOGIN_BODY_BYTES = 64 * 1024;
/** Quiet and attacked journal runs, in turn: the rows are the runs with the median p99. */
const ATTACK_ROUNDS = Number(process.env.BENCH_ATTACK_ROUNDS ?? 3);
/** PostgreSQL pool sizes for the --db-pool curve (docs/operations.md). */
const POOL_SIZES = (process.env.BENCH_DB_POOLS ?? '1,2,5,10,20,50').split(',').map(Number);

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
  pool: VerificationPool,
  worstLogin: string,
): Promise<Row[]> {
  await migrateToLatest(database.db);
  const now = new Date();
  await seedDemo(database.db, { now, applications: 3000 });
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
    verify: pool.verify,
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

  // The portal as deployed (default login rate limit), quiet and then under attack.
  const deployed: FastifyInstance = await buildPortal({ db: database.db, origin: ORIGIN, queue, logger: false, verify: pool.verify });
  const deployedAddress = await deployed.listen({ port: 0, host: '127.0.0.1' });
  const journalOn = { ...journalRun, url: `${deployedAddress}/api/applications` };
  await run({ ...journalOn, duration: WARMUP_SECONDS });
  // Quiet and attacked runs in turn, the median of each (on a shared machine one run is noisy).
  const quietRuns: autocannon.Result[] = [];
  const attackedRuns: autocannon.Result[] = [];
  const attackCounts = new Map<number, number>();
  for (let round = 0; round < ATTACK_ROUNDS; round++) {
    quietRuns.push(await run(journalOn));
    const attack = startAttack(`${deployedAddress}/api/auth/login`, worstLogin);
    attackedRuns.push(await run(journalOn));
    for (const [status, n] of await attack.stop()) attackCounts.set(status, (attackCounts.get(status) ?? 0) + n);
  }
  await deployed.close();
  const quiet = medianByP99(quietRuns);
  const attacked = medianByP99(attackedRuns);

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
    row(`journal GET, 100 conns, quiet (median of ${ATTACK_ROUNDS})`, quiet, '(the baseline)'),
    {
      ...row(`journal GET, 100 conns, under attack (median of ${ATTACK_ROUNDS})`, attacked, `p99 < ${2 * quiet.latency.p99} ms (2× quiet)`),
      failures: `attacker: ${[...attackCounts].map(([status, n]) => `${status}×${n}`).join(' ')}`,
    },
  ];
}

/** The journal run on PostgreSQL through a pool of `size` connections (the --db-pool curve). */
async function journalWithPool(url: string, size: number, pool: VerificationPool, iin: string): Promise<Row> {
  const database = openDatabase(url, { poolSize: size });
  const queue = createQueueEngine({ db: database.db, clock: { now: () => new Date() }, notifications: outboxNotificationSink });
  const app = await buildPortal({ db: database.db, origin: ORIGIN, queue, logger: false, verify: pool.verify });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    // The demo key's holder, whose journal the other runs read.
    const { token } = await createSession(database.db, iin, new Date());
    const journal: autocannon.Options = {
      url: `${address}/api/applications`,
      connections: 100,
      duration: SECONDS,
      workers: 1,
      headers: { authorization: `Bearer ${token}` },
    };
    await run({ ...journal, duration: WARMUP_SECONDS });
    const r = await run(journal);
    return {
      database: 'postgres',
      scenario: `journal GET, 100 conns, --db-pool ${size}`,
      'req/s': Math.round(r.requests.total / r.duration),
      'p50 ms': r.latency.p50,
      'p99 ms': r.latency.p99,
      errors: r.errors - r.timeouts + r.non2xx,
      timeouts: r.timeouts,
      target: '(the curve)',
      failures: '',
    };
  } finally {
    await app.close();
    await database.close();
  }
}

function medianByP99(runs: autocannon.Result[]): autocannon.Result {
  return [...runs].sort((a, b) => a.latency.p99 - b.latency.p99)[Math.floor(runs.length / 2)]!;
}

/**
 * One client sending `signedXml` again and again over two connections until stopped: the login
 * rate limit admits its first 60 a minute (each verified in full before its replayed challenge is
 * refused), the rest are refused before verification. Returns the answers' statuses counted.
 */
function startAttack(url: string, signedXml: string): { stop(): Promise<Map<number, number>> } {
  const body = JSON.stringify({ signedXml });
  const statuses = new Map<number, number>();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  const loops = [loop(), loop()];
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return statuses;
    },
  };
}

/**
 * The login document that costs the verifier most within the body limit: each candidate fills the
 * body with one shape on the document element, is signed (so every check runs) and verified once
 * here; the slowest is returned with what each cost.
 */
async function worstLoginDocument(
  signer: Signer,
  verifierOptions: { trust: Awaited<ReturnType<typeof loadTrustStore>>; ocspUrl: string },
): Promise<{ signedXml: string; shape: string; costs: Record<string, number> }> {
  const plain = buildLoginXml({ nonce: 'A'.repeat(43), origin: ORIGIN, timestamp: new Date().toISOString() });
  const shapes: Record<string, (i: number) => string> = {
    'root attributes': (i) => ` a${i.toString(36)}=""`,
    'root namespace declarations': (i) => ` xmlns:n${i.toString(36)}="u"`,
  };
  const checker = createRevocationChecker();
  const verify = (xml: string) =>
    verifyXml(xml, {
      trust: verifierOptions.trust,
      purpose: 'AUTH',
      at: new Date(),
      maxBytes: LOGIN_BODY_BYTES,
      revocation: { checker, ocspUrl: verifierOptions.ocspUrl },
    });
  await verify(await signXml(plain, signer)); // OCSP answer cached, code warm
  let worst = { signedXml: '', shape: '', ms: -1 };
  const costs: Record<string, number> = {};
  for (const [shape, unit] of Object.entries(shapes)) {
    let count = Math.floor(LOGIN_BODY_BYTES / unit(0).length);
    let signedXml: string;
    for (;;) {
      const padding = Array.from({ length: count }, (_, i) => unit(i)).join('');
      signedXml = await signXml(plain.replace('<login ', `<login${padding} `), signer);
      const over = Buffer.byteLength(JSON.stringify({ signedXml })) - LOGIN_BODY_BYTES;
      if (over <= 0) break;
      count -= Math.ceil(over / unit(count).length) + 1;
    }
    const started = performance.now();
    const report = await verify(signedXml);
    const ms = performance.now() - started;
    if (report.indication !== 'TOTAL_PASSED') throw new Error(`the ${shape} document does not verify: ${JSON.stringify(report.errors)}`);
    costs[`${shape} (${count})`] = Math.round(ms);
    if (ms > worst.ms) worst = { signedXml, shape: `${shape} (${count})`, ms };
  }
  return { signedXml: worst.signedXml, shape: worst.shape, costs };
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
  const worst = await worstLoginDocument(pki.signer, {
    trust: await loadTrustStore({ production: true, extra: pki.trustExtra }),
    ocspUrl: ocsp.url,
  });
  console.log(`verifyXml of a 64 KiB login document, in ms: ${JSON.stringify(worst.costs)}; the attack sends ${worst.shape}`);
  const pool = createVerificationPool({
    settings: { trust: { production: true, ncaTest: false, extra: pki.trustExtra }, revocation: { ocspUrl: ocsp.url }, maxBytes: LOGIN_BODY_BYTES },
  });
  await pool.ready();
  const rows: Row[] = [];
  if (DATABASES.includes('sqlite')) {
    const sqlite = openDatabase(join(dir, 'bench.sqlite'));
    rows.push(...(await benchDatabase('sqlite', sqlite, pki, pool, worst.signedXml)));
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
      rows.push(...(await benchDatabase('postgres', postgres, pki, pool, worst.signedXml)));
      await postgres.close();
      for (const size of POOL_SIZES) rows.push(await journalWithPool(url.toString(), size, pool, pki.iin));
    }
  } finally {
    cluster?.stop();
    await pool.close();
    await ocsp.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
}

await main();
