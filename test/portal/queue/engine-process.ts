/**
 * A separate portal process for the two-process test: opens the PostgreSQL database given on
 * the command line and either publishes vacancies one by one or runs the due deadlines, then
 * prints a JSON summary. Usage:
 *   node --import tsx engine-process.ts <url> publish <bin> <count> <at>
 *   node --import tsx engine-process.ts <url> jobs <at>
 */
import { openDatabase } from '../../../portal/db/database.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';

const [url, mode, ...rest] = process.argv.slice(2) as [string, string, ...string[]];
const handle = openDatabase(url);
try {
  if (mode === 'publish') {
    const [bin, count, at] = rest as [string, string, string];
    const engine = createQueueEngine({ db: handle.db, clock: manualClock(at) });
    const offeredTo: Array<number | null> = [];
    for (let i = 0; i < Number(count); i++) {
      offeredTo.push((await engine.publishVacancy({ bin, groupYear: 2021, category: 'speech' })).offeredTo);
    }
    process.stdout.write(JSON.stringify({ offeredTo }));
  } else {
    const engine = createQueueEngine({ db: handle.db, clock: manualClock(rest[0] as string) });
    process.stdout.write(
      JSON.stringify(await engine.runDueJobs({ workerId: `pid-${process.pid}`, batchSize: 5 })),
    );
  }
} finally {
  await handle.close();
}
