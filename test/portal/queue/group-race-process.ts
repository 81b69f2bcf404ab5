/**
 * A separate portal process for the two-process age-group race: opens the PostgreSQL database
 * given on the command line, says "ready", waits for "go" on stdin (so both processes start
 * together), then either runs the due jobs (the August moves) or confirms the given referrals'
 * arrivals one after another, and prints a JSON summary. Usage:
 *   node --import tsx group-race-process.ts <url> <at> moves
 *   node --import tsx group-race-process.ts <url> <at> arrive <bin>:<referralId>...
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../portal/db/database.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { isQueueError } from '../../../portal/queue/errors.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';

const [url, at, mode, ...arrivals] = process.argv.slice(2) as [string, string, string, ...string[]];
const handle = openDatabase(url);
try {
  const engine = createQueueEngine({ db: handle.db, clock: manualClock(at) });
  await handle.db.selectFrom('kindergarten_groups').select('id').limit(1).execute(); // connected before the start
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  if (mode === 'moves') {
    process.stdout.write(`${JSON.stringify(await engine.runDueJobs({ workerId: `pid-${process.pid}` }))}\n`);
  } else {
    const refused: string[] = [];
    for (const arrival of arrivals) {
      const [bin, referralId] = arrival.split(':') as [string, string];
      await engine
        .confirmArrival({ bin, referralId: Number(referralId) })
        .catch((e: unknown) => refused.push(isQueueError(e) ? e.code : String(e)));
    }
    process.stdout.write(`${JSON.stringify({ refused })}\n`);
  }
} finally {
  await handle.close();
}
