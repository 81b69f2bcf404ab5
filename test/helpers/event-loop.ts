/**
 * Is the caller's event loop kept free? A 5 ms timer measures how late it fires while `work` runs.
 * Compared as a ratio in one run (the same work on this thread against off it), never against a
 * fixed number of milliseconds: on a busy two-core machine another process can hold the CPU for
 * 50-100 ms now and then, while a loop stalled by key derivation lags by the whole derivation.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `work` while a 5 ms timer measures how late it fires; returns the worst lateness in ms. */
export async function worstTimerLag(work: () => Promise<unknown>): Promise<number> {
  let worst = 0;
  let expected = performance.now() + 5;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + 5;
  }, 5);
  try {
    await work();
    // one more tick after the work, so lag at its very end is seen too
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    clearInterval(timer);
  }
  return worst;
}

/**
 * An NCA-format (legacy PKCS#12 KDF) copy of the key store `source` with 100,000 iterations
 * (pkcs12.ts's MAX_ITERATIONS: the heaviest file we accept), written to `dir`; returns its path.
 */
export function maxIterationsCopy(source: string, password: string, dir: string): string {
  const pem = join(dir, 'key.pem');
  writeFileSync(pem, execFileSync('openssl', ['pkcs12', '-legacy', '-nodes', '-passin', `pass:${password}`, '-in', source]), {
    mode: 0o600,
  });
  const heavy = join(dir, 'max-iterations.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-iter', '100000', '-in', pem, '-passout', `pass:${password}`, '-out', heavy]);
  return heavy;
}
