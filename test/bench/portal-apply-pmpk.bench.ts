/**
 * Applying benchmark (part of npm run bench:portal), SQLite and PostgreSQL side by side:
 *  - applications registered per second through the signed route POST /api/applications: every
 *    document (a distinct child each, the demo applicant's SIGN key) is signed before the run, so
 *    the run times the portal's work only (verification in the worker pool, the wizard's rules,
 *    the queue's registration, the documents stored);
 *  - PMPK booking by 100 concurrent clients for one commission: each client, with its own session,
 *    books its child (named by IIN) into the soonest slot that takes it and moves on after
 *    PMPK_SLOT_TAKEN. The clients run in their own process (pmpk-booking-clients.ts). After the run
 *    every slot's bookings are counted against its capacity: the bench fails on any overbooking.
 * Options: BENCH_APPLICATIONS (default 300), BENCH_APPLY_CONNECTIONS (default 10),
 * BENCH_DATABASES (default "sqlite,postgres"). PostgreSQL runs crash-safe, as in portal-http.bench.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApplicationXml, buildLoginXml, type ApplicationDocument } from '../../protocol/signed-documents.ts';
import { buildPortal } from '../../portal/server/app.ts';
import { migrateToLatest, openDatabase, type Database } from '../../portal/db/database.ts';
import { createQueueEngine } from '../../portal/queue/engine.ts';
import { outboxNotificationSink } from '../../portal/notifications/outbox-sink.ts';
import { createSession } from '../../portal/auth/sessions.ts';
import { fileSigner, openKeyStore, signXml, type Signer } from '../../signing/index.ts';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import { loadDemoOcspResponder, startOcspServer } from '../../demo/pki/ocsp-responder.ts';
import { generateDemoPki } from '../../demo/pki/generate.ts';
import { startPostgresCluster } from '../helpers/postgres.ts';
import { createVerificationPool, type VerificationPool } from '../../portal/verification/verification-pool.ts';

const ORIGIN = 'http://127.0.0.1';
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 300);
const APPLY_CONNECTIONS = Number(process.env.BENCH_APPLY_CONNECTIONS ?? 10);
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
const CLIENTS = 100;
const PHONE = '+77011112233';
const clientsScript = fileURLToPath(new URL('./pmpk-booking-clients.ts', import.meta.url));

interface Row {
  database: string;
  scenario: string;
  'ops/s': number;
  'p50 ms': number;
  'p99 ms': number;
  errors: number;
  target: string;
  notes: string;
}

interface Keys {
  iin: string;
  auth: Signer;
  sign: Signer;
}

/** Valid child IINs (born in 2022, the 7th digit 5), distinct, in order. */
function* childIins(): Generator<string> {
  for (let serial = 1; ; serial++) {
    for (let day = 0; day < 365; day++) {
      const date = new Date(Date.UTC(2022, 0, 1 + day)).toISOString();
      const first11 = `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}5${String(serial).padStart(4, '0')}`;
      const check = iinCheckDigit(first11);
      if (check !== undefined) yield `${first11}${check}`;
    }
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function post<T>(url: string, body: object, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function benchApplications(database: Database, address: string, keys: Keys): Promise<Omit<Row, 'database'>> {
  const db = database.db;
  const { nonce } = await post<{ nonce: string }>(`${address}/api/auth/challenge`, {});
  const loginXml = await signXml(buildLoginXml({ nonce, origin: ORIGIN, timestamp: new Date().toISOString() }), keys.auth);
  const { token } = await post<{ token: string }>(`${address}/api/auth/login`, { signedXml: loginXml });
  await post(`${address}/api/contact-codes`, { channel: 'phone', target: PHONE }, token);
  const sms = await db.selectFrom('outbox').select('body').where('recipient', '=', PHONE).orderBy('id', 'desc').executeTakeFirstOrThrow();
  await post(`${address}/api/contact-codes/confirm`, { channel: 'phone', target: PHONE, code: /(\d{6})/.exec(sms.body)?.[1] }, token);
  const kg = await db
    .insertInto('kindergartens')
    .values({ name_kk: 'Бенч', name_ru: 'Бенч', bin: '050540000999', district: 'Бостандық', address: 'Алматы', phone: '+7 727 000 00 00', website: null, language: 'kk', lat: 43.2, lon: 76.9 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('kindergarten_categories').values({ kindergarten_id: kg.id, category: 'speech' }).execute();

  // Signed before the run (client-side work, not measured).
  const iins = childIins();
  const bodies: string[] = [];
  for (let i = 0; i < APPLICATIONS; i++) {
    const doc: ApplicationDocument = {
      service: 'special_organisation',
      region: 'almaty-city',
      consentRules: 'yes',
      consentPersonalData: 'yes',
      consentContacts: 'yes',
      phone: PHONE,
      applicantIin: keys.iin,
      childIin: iins.next().value as string,
      childLastName: 'Бенчов',
      childFirstName: `Бала${i}`,
      organisationIds: String(kg.id),
      category: 'speech',
      benefitType: 'none',
      notify: 'no',
      notifySms: 'no',
      notifyEmail: 'no',
      notifyLanguage: 'kk',
      requestedAt: new Date().toISOString(),
    };
    bodies.push(JSON.stringify({ signedXml: await signXml(buildApplicationXml(doc), keys.sign) }));
  }
  const before = await countApplications(database);
  let next = 0;
  const failures = new Map<string, number>();
  const r = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url: `${address}/api/applications`,
        connections: APPLY_CONNECTIONS,
        amount: bodies.length,
        // In this thread: a worker cannot take setupRequest (as with portal-http.bench.ts's logins).
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
            onResponse: (status, body) => {
              if (status === 200) return;
              const code = /"code":"(\w+)"/.exec(body)?.[1] ?? `HTTP ${status}`;
              failures.set(code, (failures.get(code) ?? 0) + 1);
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  const registered = (await countApplications(database)) - before;
  return {
    scenario: `applications registered (POST /api/applications), ${APPLY_CONNECTIONS} conns`,
    'ops/s': Math.round((registered / r.duration) * 10) / 10,
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    errors: r.errors + r.non2xx,
    target: `${APPLICATIONS} registered`,
    notes: `${registered} registered; ${[...failures].map(([c, n]) => `${c}×${n}`).join(' ')}`,
  };
}

async function countApplications(database: Database): Promise<number> {
  const row = await database.db.selectFrom('applications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function benchBooking(database: Database, address: string): Promise<Omit<Row, 'database'>> {
  const db = database.db;
  const commission = await db
    .insertInto('pmpk_commissions')
    .values({
      bin: '070840000999', name_kk: 'Бенч ПМПК', name_ru: 'Бенч ПМПК', address_kk: 'Алматы', address_ru: 'Алматы', phone: '+7 727 000 00 00',
      languages: 'kk,ru', day_start: '09:00', day_end: '13:00', slot_minutes: 60, slot_capacity: 3, days_ahead: 10,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const now = new Date();
  const iins = childIins();
  for (let i = 0; i < 10_000; i++) iins.next(); // children apart from the applications'
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    const iin = `7001014${String(i).padStart(5, '0')}`;
    await db.insertInto('accounts').values({ iin, full_name: `БЕНЧОВА КЛИЕНТ${i}`, created_at: now.toISOString() }).execute();
    const { token } = await createSession(db, iin, now);
    clients.push({ token, child: { iin: iins.next().value as string, lastName: 'Бенчов', firstName: `Клиент${i}` } });
  }
  const slots = await (
    await fetch(`${address}/api/pmpk/commissions/${commission.id}/slots`, { headers: { authorization: `Bearer ${clients[0]!.token}` } })
  ).json() as { items: { id: string }[] };
  const job = JSON.stringify({ address, slotIds: slots.items.map((s) => s.id), clients });
  const child = spawn(process.execPath, ['--import', 'tsx', clientsScript], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end(`${job}\n`);
  if ((await exited) !== 0) throw new Error('the booking clients failed');
  const result = JSON.parse(out) as { latencies: number[]; booked: number; seconds: number; refusals: Record<string, number> };

  // No overbooking: every slot's booked rows within its capacity, and the counter equal to them.
  const rows = await db
    .selectFrom('pmpk_slots as s')
    .leftJoin('pmpk_bookings as b', (j) => j.onRef('b.slot_id', '=', 's.id').on('b.state', '=', 'booked'))
    .select((eb) => ['s.id', 's.capacity', 's.booked', eb.fn.count<string>('b.id').as('rows')])
    .where('s.commission_id', '=', commission.id)
    .groupBy(['s.id', 's.capacity', 's.booked'])
    .execute();
  const over = rows.filter((r) => Number(r.rows) > r.capacity || Number(r.rows) !== r.booked);
  if (over.length > 0) throw new Error(`overbooked or miscounted slots: ${JSON.stringify(over)}`);
  const total = rows.reduce((n, r) => n + Number(r.rows), 0);
  if (total !== result.booked || result.booked !== CLIENTS) throw new Error(`${result.booked} booked by the clients, ${total} in the database, ${CLIENTS} clients`);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    scenario: `PMPK booking, ${CLIENTS} concurrent clients, one commission (capacity 3 a slot)`,
    'ops/s': Math.round(result.latencies.length / result.seconds),
    'p50 ms': Math.round(percentile(sorted, 50)),
    'p99 ms': Math.round(percentile(sorted, 99)),
    errors: Object.entries(result.refusals).filter(([c]) => c !== 'PMPK_SLOT_TAKEN').reduce((n, [, k]) => n + k, 0),
    target: 'no overbooking; p99 reported',
    notes: `${result.booked} booked in ${result.latencies.length} requests over ${result.seconds.toFixed(2)} s; ${Object.entries(result.refusals).map(([c, n]) => `${c}×${n}`).join(' ')}; no slot over capacity`,
  };
}

async function benchDatabase(kind: string, database: Database, keys: Keys, pool: VerificationPool): Promise<Row[]> {
  await migrateToLatest(database.db);
  const queue = createQueueEngine({ db: database.db, clock: { now: () => new Date() }, notifications: outboxNotificationSink });
  const app = await buildPortal({ db: database.db, origin: ORIGIN, queue, logger: false, loginRateLimit: 1_000_000, verify: pool.verify });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return [
      { database: kind, ...(await benchApplications(database, address, keys)) },
      { database: kind, ...(await benchBooking(database, address)) },
    ];
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'joldama-bench-apply-'));
  const pkiDir = join(dir, 'pki');
  const index = await generateDemoPki(pkiDir);
  const ocsp = await startOcspServer(await loadDemoOcspResponder(pkiDir), 0);
  const signerOf = async (purpose: 'AUTH' | 'SIGN', iin?: string) => {
    const key = index.keys.find((k) => k.status === 'valid' && k.role === 'individual' && k.purposes.includes(purpose) && (iin === undefined || k.iin === iin));
    if (!key) throw new Error(`no demo ${purpose} key`);
    const [opened] = await openKeyStore(join(pkiDir, key.file), index.password);
    if (!opened) throw new Error('empty key store');
    return { iin: key.iin, signer: fileSigner(opened) };
  };
  const auth = await signerOf('AUTH');
  const keys: Keys = { iin: auth.iin, auth: auth.signer, sign: (await signerOf('SIGN', auth.iin)).signer };
  const trustExtra = [join(pkiDir, index.ca.root), join(pkiDir, index.ca.intermediate)];
  const pool = createVerificationPool({
    settings: { trust: { production: true, ncaTest: false, extra: trustExtra }, revocation: { ocspUrl: ocsp.url }, maxBytes: 80 * 1024 },
  });
  await pool.ready();
  const rows: Row[] = [];
  const cluster = DATABASES.includes('postgres') ? await startPostgresCluster({ durable: true }) : undefined;
  try {
    if (DATABASES.includes('sqlite')) {
      const sqlite = openDatabase(join(dir, 'bench.sqlite'));
      rows.push(...(await benchDatabase('sqlite', sqlite, keys, pool)));
      await sqlite.close();
    }
    if (cluster) {
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE bench');
      await admin.end();
      const url = new URL(cluster.adminUrl);
      url.pathname = '/bench';
      const postgres = openDatabase(url.toString());
      rows.push(...(await benchDatabase('postgres', postgres, keys, pool)));
      await postgres.close();
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
