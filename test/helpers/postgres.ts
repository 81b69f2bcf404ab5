/**
 * A throwaway PostgreSQL 15 cluster for tests and benchmarks.
 *
 * Vitest globalSetup (vitest.config.ts): when DATABASE_URL is not set, one cluster is started per
 * test run (initdb + pg_ctl as the `postgres` user in a temporary folder, random free port,
 * unix socket in the same folder) and stopped at the end. Its admin URL reaches test files via
 * `inject('postgresAdminUrl')`; each file then creates its own databases (test/helpers/portal-db.ts).
 * Missing binaries fail the run loudly: the portal's suite must run on PostgreSQL too.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../portal/db/database.ts';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export interface PostgresCluster {
  /** URL of the `postgres` database as superuser; create per-test databases from it. */
  adminUrl: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the `postgres` OS user when we are root (initdb refuses root). */
function runPg(tool: string, args: string[]): void {
  const exe = join(PG_BIN, tool);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [cmd, cmdArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  execFileSync(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface PostgresClusterOptions {
  /**
   * Keep PostgreSQL's crash safety (fsync, full-page writes), as a deployment must; commits still
   * do not wait for their WAL flush (synchronous_commit=off: a crash may lose the last commits,
   * never corrupts), the same trade as the portal's SQLite (WAL, synchronous=NORMAL).
   * Default false: tests skip flushing altogether (fsync=off, full_page_writes=off), which only a
   * throwaway cluster may do.
   */
  durable?: boolean;
}

export async function startPostgresCluster(settings: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl'))) {
    throw new Error(
      `PostgreSQL 15 binaries not found in ${PG_BIN}. The portal tests run on PostgreSQL too: ` +
        'install it with `apt-get install postgresql` (or set PG_BIN), or point DATABASE_URL at a server.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'joldama-pg-'));
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    runPg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      ...(settings.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
      '-c synchronous_commit=off',
      '-c max_connections=300',
    ].join(' ');
    runPg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`Could not start the test PostgreSQL cluster: ${String(error)}\n${stderr}`, {
      cause: error,
    });
  }
  let stopped = false;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const templates = new Map<string, Promise<string>>();

/** One migrated template database per server and process (test file). */
function migratedTemplate(adminUrl: string): Promise<string> {
  let template = templates.get(adminUrl);
  if (!template) {
    template = (async () => {
      const name = `tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      const handle = openDatabase(withDatabase(adminUrl, name));
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      return name;
    })();
    templates.set(adminUrl, template);
  }
  return template;
}

/**
 * A new empty, migrated database on the server at `adminUrl`, cloned from a migrated template
 * (CREATE DATABASE ... TEMPLATE: much faster than migrating each one); `drop()` removes it.
 */
export async function createPostgresDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await migratedTemplate(adminUrl);
  const name = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: withDatabase(adminUrl, name),
    drop: () =>
      admin(adminUrl, async (c) => {
        await connectionsGone(c, name);
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/**
 * Waits (up to a second) until no session is connected to `name`. A closed pool is not yet
 * disconnected: pg-pool's end() resolves while its clients are still ending, and a FORCE drop
 * in that moment terminates them: the closing client reports the termination (57P01) as an
 * error nobody listens to any more, an uncaught exception in whichever test file runs next.
 */
async function connectionsGone(c: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Vitest globalSetup: start the cluster once per run unless DATABASE_URL names a server. */
export default async function setup(project: {
  provide: (key: 'postgresAdminUrl', value: string) => void;
}): Promise<() => void> {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('postgresAdminUrl', given);
    return () => {};
  }
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
