/**
 * A separate portal process for the two-process application race: opens the database given on
 * the command line, says "ready", waits for "go" on stdin (so both processes submit at the same
 * time), then submits every signed application in the given files at once for `iin` and prints a
 * JSON summary. Signatures are verified for real (the demo CA).
 *   node --import tsx application-process.ts <url> <now> <demo PKI folder> <iin> <signed.xml>...
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../portal/db/database.ts';
import { submitApplication } from '../../../portal/applications/submission.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { Refusal } from '../../../portal/refusal.ts';
import { openDemoPki } from '../../helpers/demo-pki.ts';
import { demoVerifier } from '../server/real-signatures.ts';

const [url, now, pkiDir, iin, ...files] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const handle = openDatabase(url);
try {
  const clock = manualClock(now);
  const ctx = { db: handle.db, verify: await demoVerifier({ pki: openDemoPki(pkiDir) }), queue: createQueueEngine({ db: handle.db, clock }), now: () => clock.now() };
  const documents = files.map((f) => readFileSync(f, 'utf8'));
  await handle.db.selectFrom('applications').select('id').limit(1).execute(); // connected before the start
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const results = await Promise.allSettled(documents.map((xml) => submitApplication(ctx, iin, xml)));
  const won = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason instanceof Refusal ? r.reason.code : `error: ${String(r.reason)}`] : [],
  );
  process.stdout.write(`${JSON.stringify({ won, refused })}\n`);
} finally {
  await handle.close();
}
