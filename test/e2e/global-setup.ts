/**
 * Before the specs: build the renderer, then start browser mode in demo (fresh demo PKI and
 * portal data in a temporary folder) in a child process. Returns the teardown that stops it.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2E_ENV } from './env.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync(bin('vite'), ['build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  // The app as `npm start` runs it: the built bundle (dist/cli/demo-app.js), from today's sources.
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });

  const child = spawn(bin('tsx'), [path.join(here, 'serve-demo.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('browser mode did not start within 90 s')), 90_000);
    child.once('exit', (code) => reject(new Error(`browser mode exited early (code ${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const found = buffered.split('\n').find((l) => l.startsWith('JOLDAMA_E2E '));
      if (found) {
        clearTimeout(timer);
        resolve(found.slice('JOLDAMA_E2E '.length));
      }
    });
  });
  // The portal logs JSON to stdout; keep draining it so the child never blocks on a full pipe.
  child.stdout.resume();
  process.env[E2E_ENV] = line;

  return async () => {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}
