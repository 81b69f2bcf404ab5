/**
 * Before the specs: build the renderer and the app as `npm start` runs it (dist/cli/demo-app.js,
 * from today's sources), then start the demo (fresh demo PKI and portal data in a temporary
 * folder) in a child process (demo-app-process.ts). Returns the teardown that stops it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoAppProcess } from './demo-app-process.ts';
import { E2E_ENV } from './env.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const app = await startDemoAppProcess();
  process.env[E2E_ENV] = app.line;
  return () => app.stop();
}
