/**
 * The clients of the PMPK booking benchmark, in their own process so that their work does not
 * share the portal's event loop. Reads one JSON line on stdin: the portal's address, the slot ids
 * soonest first, and one { token, child } per client. Every client books its child into the
 * soonest slot that takes it, moving on after PMPK_SLOT_TAKEN, all clients at once. Prints one
 * JSON line: each request's latency in ms, the bookings made, and the refusal codes counted.
 */
import { createInterface } from 'node:readline';

interface Job {
  address: string;
  slotIds: string[];
  clients: { token: string; child: { iin: string; lastName: string; firstName: string } }[];
}

const lines = createInterface({ input: process.stdin });
const first = await lines[Symbol.asyncIterator]().next();
lines.close();
const job = JSON.parse(String(first.value)) as Job;
const latencies: number[] = [];
const refusals = new Map<string, number>();
let booked = 0;

async function client({ token, child }: Job['clients'][number]): Promise<void> {
  for (const slotId of job.slotIds) {
    const started = performance.now();
    const res = await fetch(`${job.address}/api/pmpk/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ child, slotId }),
    });
    const body = (await res.json()) as { code?: string };
    latencies.push(performance.now() - started);
    if (res.ok) {
      booked++;
      return;
    }
    const code = body.code ?? `HTTP ${res.status}`;
    refusals.set(code, (refusals.get(code) ?? 0) + 1);
    if (code !== 'PMPK_SLOT_TAKEN') return;
  }
}

const started = performance.now();
await Promise.all(job.clients.map(client));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ latencies, booked, seconds, refusals: Object.fromEntries(refusals) })}\n`);
