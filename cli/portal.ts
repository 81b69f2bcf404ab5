/**
 * `joldama portal [--port N] [--host H] [--db file|postgres://...] [--db-pool N] [--demo] [--clock ISO] [--origin URL]
 *   [--nca-test] [--trust-proxy ADDRESSES]`
 * Deployment settings (pool size, proxies, revocation): docs/operations.md.
 * Starts the reference portal and runs until interrupted.
 */
import type { Command } from 'commander';
import { DEFAULT_PORT, startPortal, type StartPortalOptions } from '../portal/server/start.ts';
import { parseTrustProxy } from '../portal/server/trust-proxy.ts';
import { parsePoolSize } from '../portal/db/database.ts';

interface PortalCommandOptions {
  port?: number;
  host: string;
  db?: string;
  demo?: boolean;
  clock?: string;
  origin?: string;
  ncaTest?: boolean;
  dataDir?: string;
  trustProxy?: string;
  dbPool?: string;
}

/** The command line (and JOLDAMA_DB_POOL) as startPortal's options; throws a clear message on bad input. */
function portalOptions(opts: PortalCommandOptions, env: NodeJS.ProcessEnv): StartPortalOptions {
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    throw new Error('--port expects a number from 0 to 65535');
  }
  const { demo: _demo, trustProxy, dbPool, ...rest } = opts;
  const pool = dbPool !== undefined ? parsePoolSize(dbPool) : env.JOLDAMA_DB_POOL ? parsePoolSize(env.JOLDAMA_DB_POOL, 'JOLDAMA_DB_POOL') : undefined;
  return {
    ...rest,
    ...(trustProxy === undefined ? {} : { trustProxy: parseTrustProxy(trustProxy) }),
    ...(pool === undefined ? {} : { dbPool: pool }),
  };
}

export function registerPortalCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('portal')
    .description('Run the reference referral portal (HTTP API, certificate login)')
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT})`, (v) => Number.parseInt(v, 10))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <url>', 'SQLite file, :memory:, or postgres://... (default: portal.sqlite in the data folder)')
    .option('--demo', 'generate and trust the demo PKI, serve its OCSP/CRL, seed demo data')
    .option('--clock <iso>', 'start the portal clock at this ISO-8601 instant')
    .option('--origin <url>', 'public origin checked in signed logins (default http://host:port)')
    .option('--nca-test', 'also trust the NCA test roots')
    .option('--data-dir <dir>', 'data folder (default: the user data folder)')
    .option('--db-pool <n>', 'PostgreSQL: the most connections to open (default 10, or JOLDAMA_DB_POOL)')
    .option(
      '--trust-proxy <proxies>',
      "behind a reverse proxy: the proxies' addresses or networks, comma-separated; rate limits then key on the client the proxy names (default: no proxy trusted)",
    )
    .action(async (opts: PortalCommandOptions) => {
      let options: StartPortalOptions;
      try {
        options = portalOptions(opts, process.env);
      } catch (e) {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        setExit(3);
        return;
      }
      let portal;
      try {
        portal = opts.demo ? await (await import('../demo/portal/start.ts')).startDemoPortal(options) : await startPortal(options);
      } catch (e) {
        process.stderr.write(`Could not start the portal: ${e instanceof Error ? e.message : String(e)}\n`);
        setExit(1);
        return;
      }
      process.stderr.write(`Joldama portal listening at ${portal.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await portal.close();
      setExit(0);
    });
}
