/**
 * Two OS processes booking one commission's slots at the same moment (docs/pmpk.md, Bookings): a
 * slot never takes more children than its capacity, a child never holds two bookings, and the
 * slot's count equals its bookings, on PostgreSQL and on an SQLite file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseKind } from '../../../portal/db/database.ts';
import type { DB } from '../../../portal/db/schema.ts';
import type { Kysely } from 'kysely';
import { ensureSlots } from '../../../portal/pmpk/slots.ts';
import { createTestDatabase } from '../../helpers/portal-db.ts';
import { addApplication, type AppFixture } from '../queue/fixtures.ts';
import { addCommission, slotsOf } from './fixtures.ts';

const NOW = '2026-02-02T03:00:00.000Z';
const script = fileURLToPath(new URL('./booking-process.ts', import.meta.url));

interface Summary {
  won: number;
  refused: string[];
}

/** Starts one booking process per job list, lets them all go at once when every one is ready. */
async function race(url: string, jobLists: string[][]): Promise<Summary[]> {
  const children = jobLists.map((jobs) => spawn(process.execPath, ['--import', 'tsx', script, url, NOW, ...jobs], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = children.map((child) => {
    const lines = createInterface({ input: child.stdout });
    const it = lines[Symbol.asyncIterator]();
    return {
      next: async () => {
        const r = await it.next();
        if (r.done) throw new Error('the booking process ended early');
        return r.value;
      },
    };
  });
  for (const o of outputs) expect(await o.next()).toBe('ready');
  for (const child of children) child.stdin.write('go\n');
  const summaries = await Promise.all(outputs.map(async (o) => JSON.parse(await o.next()) as Summary));
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
  return summaries;
}

const job = (a: AppFixture, slotId: number) => `${a.applicantIin}:${a.applicationId}:${slotId}`;

async function addApplications(db: Kysely<DB>, n: number): Promise<AppFixture[]> {
  const apps: AppFixture[] = [];
  for (let i = 0; i < n; i++) apps.push(await addApplication(db, { registeredAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() }));
  return apps;
}

describe.each<DatabaseKind>(['postgres', 'sqlite'])('two processes booking at once (%s)', (kind) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function database(): Promise<{ db: Kysely<DB>; url: string }> {
    if (kind === 'postgres') {
      const d = await createTestDatabase('postgres');
      cleanup.push(async () => {
        await d.close();
        await d.drop();
      });
      return d;
    }
    const dir = mkdtempSync(join(tmpdir(), 'joldama-pmpk-'));
    const url = join(dir, 'portal.db');
    const handle = openDatabase(url);
    await migrateToLatest(handle.db);
    cleanup.push(async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { db: handle.db, url };
  }

  // Two tsx start-ups on a busy 2-core machine: a generous timeout; nothing here is timed.
  it('gives the last places of a slot once: 40 children, capacity 3', { timeout: 120_000 }, async () => {
    const { db, url } = await database();
    const commission = await addCommission(db, { slot_capacity: 3 });
    await ensureSlots(db, commission, new Date(NOW));
    const slot = (await slotsOf(db, commission.id))[0]!;
    const apps = await addApplications(db, 40);
    const [a, b] = await race(url, [apps.slice(0, 20).map((x) => job(x, slot.id)), apps.slice(20).map((x) => job(x, slot.id))]);
    expect(a!.won + b!.won).toBe(3);
    expect([...a!.refused, ...b!.refused]).toEqual(Array.from({ length: 37 }, () => 'PMPK_SLOT_TAKEN'));
    const bookings = await db.selectFrom('pmpk_bookings').select('child_id').where('slot_id', '=', slot.id).execute();
    expect(bookings).toHaveLength(3);
    expect(new Set(bookings.map((r) => r.child_id)).size).toBe(3);
    expect((await slotsOf(db, commission.id))[0]!.booked).toBe(3);
  });

  it('books each child once when both processes book the same children into different slots', { timeout: 120_000 }, async () => {
    const { db, url } = await database();
    const commission = await addCommission(db, { slot_capacity: 50 });
    await ensureSlots(db, commission, new Date(NOW));
    const [first, second] = await slotsOf(db, commission.id);
    const apps = await addApplications(db, 15);
    const [a, b] = await race(url, [apps.map((x) => job(x, first!.id)), apps.map((x) => job(x, second!.id))]);
    expect(a!.won + b!.won).toBe(15);
    expect([...a!.refused, ...b!.refused]).toEqual(Array.from({ length: 15 }, () => 'PMPK_ALREADY_BOOKED'));
    const bookings = await db.selectFrom('pmpk_bookings').select(['child_id', 'slot_id']).execute();
    expect(new Set(bookings.map((r) => r.child_id)).size).toBe(15);
    const slots = await slotsOf(db, commission.id);
    // The loser's raised count was rolled back with its booking: counts equal bookings.
    expect(slots[0]!.booked).toBe(bookings.filter((r) => r.slot_id === first!.id).length);
    expect(slots[1]!.booked).toBe(bookings.filter((r) => r.slot_id === second!.id).length);
  });
});
