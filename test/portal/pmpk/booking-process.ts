/**
 * A separate portal process for the two-process booking race: opens the database given on the
 * command line, says "ready", waits for "go" on stdin (so both processes book at the same time),
 * then books every given application into its slot at once and prints a JSON summary.
 *   node --import tsx booking-process.ts <url> <now> <applicantIin>:<applicationId>:<slotId>...
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../portal/db/database.ts';
import { bookSlot } from '../../../portal/pmpk/bookings.ts';
import { Refusal } from '../../../portal/refusal.ts';

const [url, now, ...jobs] = process.argv.slice(2) as [string, string, ...string[]];
const handle = openDatabase(url);
try {
  await handle.db.selectFrom('pmpk_slots').select('id').limit(1).execute(); // connected before the start
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const results = await Promise.allSettled(
    jobs.map((job) => {
      const [iin, applicationId, slotId] = job.split(':') as [string, string, string];
      return bookSlot(handle.db, { iin, applicationId: Number(applicationId), slotId: Number(slotId) }, new Date(now));
    }),
  );
  const won = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason instanceof Refusal ? r.reason.code : `error: ${String(r.reason)}`] : [],
  );
  process.stdout.write(`${JSON.stringify({ won, refused })}\n`);
} finally {
  await handle.close();
}
