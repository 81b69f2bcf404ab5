/**
 * `joldama portal [--port N] [--host H] [--db file|postgres://...] [--db-pool N] [--demo] [--clock ISO] [--origin URL]
 *   [--nca-test] [--trust-proxy ADDRESSES] [--crl FILE]... [--no-revocation] [--priority-every N] [--admin-bin BIN]...
 *   [--pmpk-reminder-days N]`
 * Starts the reference portal and runs until interrupted. Deployment settings (pool size, proxies,
 * revocation): docs/operations.md. Revocation settings other than the default are announced on
 * stderr at start (and in the portal's log).
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { isValidBin } from '../signing/identifiers.ts';
import { parsePoolSize } from '../portal/db/database.ts';
import { queueConfigSchema } from '../portal/queue/config.ts';
import { CRL_FILES_WARNING, DEFAULT_PORT, NO_REVOCATION_WARNING, startPortal, type StartPortalOptions } from '../portal/server/start.ts';
import { parseTrustProxy } from '../portal/server/trust-proxy.ts';
import { parseOptions } from './options.ts';

const optionsSchema = z.object({
  port: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(65535))),
  host: z.string(),
  db: z.optional(z.string()),
  dbPool: z.optional(z.string()),
  demo: z.optional(z.boolean()),
  clock: z.optional(z.string()),
  origin: z.optional(z.string()),
  ncaTest: z.optional(z.boolean()),
  dataDir: z.optional(z.string()),
  trustProxy: z.optional(z.string()),
  crl: z._default(z.array(z.string().check(z.minLength(1))), []),
  revocation: z._default(z.boolean(), true),
  priorityEvery: z.optional(z.string()),
  adminBin: z.optional(z.array(z.string())),
  pmpkReminderDays: z.optional(z.string()),
});
type PortalCommandOptions = z.output<typeof optionsSchema>;

/** A whole-number queue setting from the command line, checked by the queue's own schema (its range). */
function queueSetting(key: 'priorityEvery' | 'pmpkReminderDays', flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const checked = queueConfigSchema.shape[key].safeParse(/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
  if (checked.success) return checked.data;
  const { minValue, maxValue } = queueConfigSchema.shape[key].removeDefault();
  throw new Error(`${flag} expects a whole number from ${minValue} to ${maxValue}`);
}

/** The checked options (and JOLDAMA_DB_POOL) as startPortal's; throws a clear message on bad input. */
export function portalOptions(opts: PortalCommandOptions, env: NodeJS.ProcessEnv): StartPortalOptions {
  const { demo: _demo, trustProxy, dbPool, crl, revocation, priorityEvery, pmpkReminderDays, adminBin, ...rest } = opts;
  if (!revocation && crl.length > 0) throw new Error('--crl and --no-revocation contradict each other: give one of them');
  const queue = {
    priorityEvery: queueSetting('priorityEvery', '--priority-every', priorityEvery),
    pmpkReminderDays: queueSetting('pmpkReminderDays', '--pmpk-reminder-days', pmpkReminderDays),
  };
  const queueGiven = Object.fromEntries(Object.entries(queue).filter(([, v]) => v !== undefined));
  const badBin = adminBin?.find((b) => !isValidBin(b));
  if (badBin !== undefined) throw new Error(`--admin-bin expects a valid 12-digit BIN, got "${badBin}"`);
  const pool = dbPool !== undefined ? parsePoolSize(dbPool) : env.JOLDAMA_DB_POOL ? parsePoolSize(env.JOLDAMA_DB_POOL, 'JOLDAMA_DB_POOL') : undefined;
  return {
    ...rest,
    ...(trustProxy === undefined ? {} : { trustProxy: parseTrustProxy(trustProxy) }),
    ...(pool === undefined ? {} : { dbPool: pool }),
    ...(crl.length > 0 ? { crls: crl } : {}),
    ...(revocation ? {} : { revocation: false as const }),
    ...(Object.keys(queueGiven).length > 0 ? { queue: queueGiven } : {}),
    ...(adminBin ? { adminBins: adminBin } : {}),
  };
}

/** What stderr says at start about revocation, when it is not the default (OCSP, then downloaded CRLs). */
export function revocationNotice(options: Pick<StartPortalOptions, 'crls' | 'revocation'>): string | null {
  if (options.revocation === false) return `WARNING: ${NO_REVOCATION_WARNING}`;
  if (options.crls?.length) return `${CRL_FILES_WARNING}\n  ${options.crls.join('\n  ')}`;
  return null;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerPortalCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('portal')
    .description('Run the reference referral portal (HTTP API, certificate login)')
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT})`, (v) => (/^\d+$/.test(v) ? Number(v) : Number.NaN))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <url>', 'SQLite file, :memory:, or postgres://... (default: portal.sqlite in the data folder)')
    .option('--db-pool <n>', 'PostgreSQL: the most connections to open (default 10, or JOLDAMA_DB_POOL)')
    .option('--demo', 'generate and trust the demo PKI, serve its OCSP/CRL, seed demo data')
    .option('--clock <iso>', 'start the portal clock at this ISO-8601 instant')
    .option('--origin <url>', 'public origin checked in signed logins (default http://host:port)')
    .option('--nca-test', 'also trust the NCA test roots')
    .option('--data-dir <dir>', 'data folder (default: the user data folder)')
    .option(
      '--trust-proxy <proxies>',
      "behind a reverse proxy: the proxies' addresses or networks, comma-separated; rate limits then key on the client the proxy names (default: no proxy trusted)",
    )
    .option('--crl <FILE>', 'decide revocation with this CRL file alone, read at start: no OCSP, no downloads (repeatable)', collect)
    .option('--no-revocation', 'do not check revocation at all (offline demos only: revoked certificates are accepted)')
    .option('--priority-every <n>', 'one place in N goes to the priority categories (default 4)')
    .option('--pmpk-reminder-days <n>', "days before a PMPK conclusion expires that the family is reminded, 1 to 180 (default 30)")
    .option('--admin-bin <bin>', "an organisation (e.g. the education department) whose staff administer the portal's calendar; repeatable", collect)
    .action(async (raw: unknown) => {
      const opts = parseOptions(optionsSchema, raw);
      let options: StartPortalOptions | undefined;
      try {
        if (opts) options = portalOptions(opts, process.env);
      } catch (e) {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      }
      if (!opts || !options) {
        setExit(3);
        return;
      }
      const notice = revocationNotice(options);
      if (notice) process.stderr.write(`${notice}\n`);
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
