/**
 * A stand-in verification worker for the pool's own tests: it speaks verify-worker.ts's messages,
 * but a job "block" holds its thread (Atomics.wait, as a long computation would) until the test
 * opens the gate, "die" ends the thread, and anything else is answered at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { VerifyJob, WorkerMessage } from '../../../portal/verification/messages.ts';

const port = parentPort!;
const gate = new Int32Array((workerData as { gate: SharedArrayBuffer }).gate);
const post = (message: WorkerMessage) => port.postMessage(message);

post({ kind: 'ready' });
port.on('message', (job: VerifyJob) => {
  if (job.xml === 'die') process.exit(7);
  if (job.xml === 'block') Atomics.wait(gate, 0, 0);
  post({ kind: 'report', id: job.id, report: { indication: 'TOTAL_PASSED', errors: [], warnings: [job.xml] } });
});
