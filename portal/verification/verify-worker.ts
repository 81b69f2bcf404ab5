/**
 * A verification worker (worker_threads): verifyXml off the portal's event loop. The pool
 * (verification-pool.ts) starts one per core with the portal's VerifierSettings as workerData and
 * sends it VerifyJobs; it answers each with the report, or with the error verifyXml threw.
 *
 * Each worker keeps its own revocation cache (createRevocationChecker): OCSP answers and CRLs are
 * reused for every document that worker verifies, so a certificate's status is fetched at most once
 * per worker until its nextUpdate, not once per login.
 *
 * This module is an entry point of its own, started by file name, never imported by the pool:
 * - from the sources (tests, `npm run bench:portal`), the pool starts this .ts file through tsx;
 * - in a build, the bundler must emit it as a separate entry named `verify-worker.js` in the same
 *   folder as the bundle holding the pool, and leave `import.meta.dirname` meaning the bundle's
 *   folder (scripts/build-cli.mjs lists it in ENTRIES). The pool looks for verify-worker.js in
 *   its own folder first, then for this file.
 */
import { readFile } from 'node:fs/promises';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import {
  createRevocationChecker,
  loadTrustStore,
  verifyXml,
  type RevocationOptions,
  type VerifyXmlOptions,
} from '../../signing/index.ts';
import type { VerifierSettings, VerifyJob, WorkerMessage } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('verify-worker.ts runs as a worker thread of the verification pool');
const settings = workerData as VerifierSettings;

// Verification yields the CPU to the portal's event loop, so costly documents slow other logins,
// not every other request. On Linux a priority is per thread, so this lowers this worker only
// (elsewhere it would lower the whole portal, so it is left alone there).
if (process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted here: the worker still runs, at normal priority
  }
}
const post = (message: WorkerMessage) => port.postMessage(message);

// The portal's clock may differ from this machine's (`--clock`): each job brings it.
let clockOffsetMs = 0;
const checker = createRevocationChecker({ clock: () => new Date(Date.now() + clockOffsetMs) });

async function verifierOptions(): Promise<Omit<VerifyXmlOptions, 'purpose' | 'at'>> {
  const trust = await loadTrustStore(settings.trust);
  let revocation: RevocationOptions | false = false;
  if (settings.revocation) {
    const { ocspUrl, crlFiles } = settings.revocation;
    revocation = crlFiles
      ? { checker, ocsp: false, crls: await Promise.all(crlFiles.map((f) => readFile(f))) }
      : { checker, ...(ocspUrl ? { ocspUrl } : {}) };
  }
  return { trust, revocation, maxBytes: settings.maxBytes };
}

const ready = verifierOptions();
ready.then(
  () => post({ kind: 'ready' }),
  (e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
);

port.on('message', (job: VerifyJob) => {
  clockOffsetMs = job.now - Date.now();
  ready
    .then((options) => verifyXml(job.xml, { ...options, purpose: job.purpose, at: new Date(job.at) }))
    .then(
      (report) => post({ kind: 'report', id: job.id, report }),
      // verifyXml reports bad input; what it throws is a fault of ours, an internal error.
      (e: unknown) => post({ kind: 'error', id: job.id, message: e instanceof Error ? e.message : String(e) }),
    );
});
