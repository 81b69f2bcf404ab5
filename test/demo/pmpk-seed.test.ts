/** The demo's PMPK commissions: seeded once, each with slots on working days to book. */
import { expect, it } from 'vitest';
import { seedDemoCommissions } from '../../demo/portal/pmpk-seed.ts';
import { listCommissions } from '../../portal/pmpk/commissions.ts';
import { ensureSlots, freeSlots } from '../../portal/pmpk/slots.ts';
import { isValidBin } from '../../signing/identifiers.ts';
import { withTestDatabases } from '../helpers/portal-db.ts';

withTestDatabases((_kind, freshDb) => {
  it('seeds three commissions once, with valid BINs and free slots', async () => {
    const { db } = await freshDb();
    expect(await seedDemoCommissions(db)).toBe(3);
    expect(await seedDemoCommissions(db)).toBe(0);
    const commissions = await listCommissions(db);
    expect(commissions).toHaveLength(3);
    expect(commissions.every((c) => isValidBin(c.bin))).toBe(true);
    const now = new Date('2026-12-02T05:00:00.000Z');
    for (const c of commissions) {
      await ensureSlots(db, c, now);
      const slots = await freeSlots(db, c.id, now);
      expect(new Set(slots.map((s) => s.date)).size).toBe(c.days_ahead);
    }
  });
});
