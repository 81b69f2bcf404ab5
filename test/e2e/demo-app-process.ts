/** Starting test/e2e/serve-demo.ts in a child process and reading the line it prints. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2eInfo } from './env.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

export interface DemoAppProcess {
  /** The JSON line, as E2E_ENV carries it. */
  line: string;
  info: E2eInfo;
  stop(): Promise<void>;
}

/** `env`: added to this process's environment for the app (e.g. a SoftHSM token's configuration). */
export async function startDemoAppProcess(args: string[] = [], env: Record<string, string> = {}): Promise<DemoAppProcess> {
  const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(here, 'serve-demo.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    // 90 s was too short at load 25-30 on the shared 2 cores; a stuck child is stopped, not left behind.
    const timer = setTimeout(() => (child.kill(), reject(new Error('browser mode did not start within 240 s'))), 240_000);
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
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout.resume();
  return {
    line,
    info: E2eInfo.parse(JSON.parse(line)),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
