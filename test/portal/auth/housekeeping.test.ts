/**
 * Session lifetime and login housekeeping: a session kept busy still ends MAX_SESSION_MS after the
 * login; expired applicant, staff and administrator sessions and day-old challenges are deleted, live ones kept;
 * the tidy-up runs at most once an hour. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccountOnLogin } from '../../../portal/auth/accounts.ts';
import { burnChallenge, issueChallenge } from '../../../portal/auth/challenges.ts';
import { loginHousekeeping, purgeExpiredLogins } from '../../../portal/auth/housekeeping.ts';
import { createAdminSession, resolveAdminSession } from '../../../portal/auth/admin-sessions.ts';
import { MAX_SESSION_MS } from '../../../portal/auth/session-table.ts';
import { createSession, resolveSession } from '../../../portal/auth/sessions.ts';
import { createStaffSession, resolveStaffSession } from '../../../portal/auth/staff-sessions.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../helpers/portal-db.ts';
import { addKindergarten } from '../queue/fixtures.ts';

const T0 = new Date('2026-11-24T03:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const IIN = '850101300017';

describe.each(DATABASE_KINDS)('login housekeeping (%s)', (kind) => {
  let database: TestDatabase & { drop(): Promise<void> };
  let kindergartenId: number;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await upsertAccountOnLogin(database.db, IIN, 'Test Applicant', T0);
    kindergartenId = (await addKindergarten(database.db)).id;
  });
  afterAll(async () => {
    await database?.close();
    await database?.drop();
  });
  const staff = () => ({ iin: '800101300011', fullName: 'Staff', bin: '150400000099', kindergartenId });

  it('ends a session kept busy every ten minutes at the absolute lifetime', async () => {
    const { token } = await createSession(database.db, IIN, T0);
    let at = T0.getTime();
    while (at + 10 * MINUTE < T0.getTime() + MAX_SESSION_MS) {
      at += 10 * MINUTE;
      expect(await resolveSession(database.db, token, new Date(at))).toBe(IIN);
    }
    // Used ten minutes ago or less, well within the idle limit, and still over.
    expect(await resolveSession(database.db, token, after(MAX_SESSION_MS))).toBeNull();
  });

  it('ends a busy staff session at the same lifetime', async () => {
    const { token } = await createStaffSession(database.db, staff(), T0);
    for (let at = 20 * MINUTE; at < MAX_SESSION_MS; at += 20 * MINUTE) {
      expect(await resolveStaffSession(database.db, token, after(at))).not.toBeNull();
    }
    expect(await resolveStaffSession(database.db, token, after(MAX_SESSION_MS))).toBeNull();
  });

  it('ends a busy administrator session at the same lifetime', async () => {
    const admin = { iin: '800101300011', fullName: 'Admin', bin: '150400000099' };
    const bins = new Set([admin.bin]);
    const { token } = await createAdminSession(database.db, admin, T0);
    for (let at = 20 * MINUTE; at < MAX_SESSION_MS; at += 20 * MINUTE) {
      expect(await resolveAdminSession(database.db, token, after(at), bins)).not.toBeNull();
    }
    expect(await resolveAdminSession(database.db, token, after(MAX_SESSION_MS), bins)).toBeNull();
  });

  it('deletes expired sessions and day-old challenges and keeps the live ones', async () => {
    const db = database.db;
    await db.deleteFrom('sessions').execute();
    await db.deleteFrom('staff_sessions').execute();
    await db.deleteFrom('admin_sessions').execute();
    await db.deleteFrom('auth_challenges').execute();
    const now = after(3 * 86_400_000);
    await createSession(db, IIN, after(0)); // expired days ago
    await createStaffSession(db, staff(), after(0));
    await createAdminSession(db, { iin: '800101300011', fullName: 'Admin', bin: '150400000099' }, after(0));
    const old = await issueChallenge(db, after(0));
    await burnChallenge(db, old.nonce, after(MINUTE));
    await issueChallenge(db, after(3 * 86_400_000 - 23 * 3_600_000)); // expired, but within the day
    const live = await createSession(db, IIN, now);
    const liveStaff = await createStaffSession(db, staff(), now);
    await createAdminSession(db, { iin: '800101300011', fullName: 'Admin', bin: '150400000099' }, now);
    await issueChallenge(db, now);
    await db.deleteFrom('auth_codes').execute();
    const smsRow = (iin: string, windowStart: Date, expires: Date) => ({
      iin, code_hash: 'x'.repeat(64), expires_at: expires.toISOString(), attempts: 0,
      sent_at: windowStart.toISOString(), window_started_at: windowStart.toISOString(), sent_in_window: 1,
    });
    // A code and a daily window both over; a live window (its guesses still count) with a dead code.
    await db.insertInto('auth_codes').values(smsRow('850101300017', after(0), after(5 * MINUTE))).execute();
    await db.insertInto('auth_codes').values(smsRow('850101300028', after(3 * 86_400_000 - 3_600_000), after(3 * 86_400_000 - 3_500_000))).execute();

    expect(await purgeExpiredLogins(db, now)).toEqual({ sessions: 1, staffSessions: 1, adminSessions: 1, challenges: 1, smsCodes: 1 });
    expect(await db.selectFrom('admin_sessions').select('iin').execute()).toHaveLength(1);
    expect(await db.selectFrom('sessions').select('iin').execute()).toHaveLength(1);
    expect(await db.selectFrom('auth_challenges').select('nonce').execute()).toHaveLength(2);
    expect(await db.selectFrom('auth_codes').select('iin').execute()).toEqual([{ iin: '850101300028' }]);
    expect(await resolveSession(db, live.token, now)).toBe(IIN);
    expect(await resolveStaffSession(db, liveStaff.token, now)).not.toBeNull();
  });

  it('tidies at most once per interval', async () => {
    const db = database.db;
    const tidy = loginHousekeeping(db, 3_600_000);
    await createSession(db, IIN, T0); // long expired by the times below
    expect(await tidy.tidy(after(5 * 86_400_000))).not.toBeNull();
    await createSession(db, IIN, T0);
    expect(await tidy.tidy(after(5 * 86_400_000 + 59 * MINUTE))).toBeNull();
    expect(await db.selectFrom('sessions').select('iin').execute()).toHaveLength(1);
    expect(await tidy.tidy(after(5 * 86_400_000 + 60 * MINUTE))).toEqual({ sessions: 1, staffSessions: 0, adminSessions: 0, challenges: 0, smsCodes: 0 });
  });
});
