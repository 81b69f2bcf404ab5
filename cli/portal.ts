/**
 * `joldama portal [--port N] [--host H] [--db file|postgres://...] [--demo] [--clock ISO] [--origin URL] [--nca-test] [--priority-every N] [--admin-bin BIN]...`
 * Starts the reference portal and runs until interrupted.
 */
import type { Command } from 'commander';
import { isValidBin } from '../signing/identifiers.ts';
import { queueConfigSchema } from '../portal/queue/config.ts';
import { DEFAULT_PORT, startPortal } from '../portal/server/start.ts';

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
    .option('--priority-every <n>', 'one place in N goes to the priority categories (default 4)', (v) => Number(v))
    .option(
      '--admin-bin <bin>',
      "an organisation (e.g. the education department) whose staff administer the portal's calendar; repeatable",
      (v: string, all: string[] = []) => [...all, v],
    )
    .action(async (opts: { port?: number; host: string; db?: string; demo?: boolean; clock?: string; origin?: string; ncaTest?: boolean; dataDir?: string; priorityEvery?: number; adminBin?: string[] }) => {
      if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
        process.stderr.write('--port expects a number from 0 to 65535\n');
        setExit(3);
        return;
      }
      const ratio = queueConfigSchema.shape.priorityEvery.safeParse(opts.priorityEvery);
      if (opts.priorityEvery !== undefined && !ratio.success) {
        process.stderr.write('--priority-every expects a whole number from 2 to 100\n');
        setExit(3);
        return;
      }
      const badBin = opts.adminBin?.find((b) => !isValidBin(b));
      if (badBin !== undefined) {
        process.stderr.write(`--admin-bin expects a valid 12-digit BIN, got "${badBin}"\n`);
        setExit(3);
        return;
      }
      let portal;
      try {
        const { demo, priorityEvery: _given, adminBin, ...rest } = opts;
        const options = {
          ...rest,
          ...(ratio.success ? { queue: { priorityEvery: ratio.data } } : {}),
          ...(adminBin ? { adminBins: adminBin } : {}),
        };
        portal = demo ? await (await import('../demo/portal/start.ts')).startDemoPortal(options) : await startPortal(options);
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
