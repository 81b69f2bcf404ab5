/**
 * The session rules every session table shares (session-table.ts): only the token's hash is
 * stored; an unused session ends after the idle time; a use slides the expiry, but at most once a
 * minute; a row the caller refuses is not slid; ending and purging delete the row. (The 12-hour
 * cap under use and the purge of each table: housekeeping.test.ts.) On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken, MAX_SESSION_MS, sessionTable } from '../../../portal/auth/session-table.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../helpers/portal-db.ts';

const T0 = new Date('2026-11-24T03:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const IDLE = 30 * MINUTE;
const ADMIN = { iin: '800101300011', full_name: 'Admin', bin: '150400000099' };
const table = sessionTable('admin_sessions', ['iin', 'full_name', 'bin']);

describe.each(DATABASE_KINDS)('session table rules (%s)', (kind) => {
  let database: TestDatabase & { drop(): Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('admin_sessions').execute();
  });
  const stored = () =>
    database.db.selectFrom('admin_sessions').select(['token_hash', 'last_seen_at', 'expires_at']).execute();

  it('stores only the token hash and ends an unused session after the idle time', async () => {
    const { token, expiresAt } = await table.create(database.db, ADMIN, T0, IDLE);
    expect(expiresAt).toEqual(after(IDLE));
    expect(await stored()).toEqual([
      { token_hash: hashToken(token), last_seen_at: T0.toISOString(), expires_at: after(IDLE).toISOString() },
    ]);
    expect(await table.resolve(database.db, hashToken(token), T0, IDLE)).toBeNull();
    expect(await table.resolve(database.db, token, after(IDLE), IDLE)).toBeNull();
    const other = await table.create(database.db, ADMIN, T0, IDLE);
    expect(await table.resolve(database.db, other.token, after(IDLE - 1), IDLE)).toMatchObject(ADMIN);
  });

  it('never gives a new session more than the absolute lifetime', async () => {
    const { expiresAt } = await table.create(database.db, ADMIN, T0, 2 * MAX_SESSION_MS);
    expect(expiresAt).toEqual(after(MAX_SESSION_MS));
  });

  it('slides the expiry on use, at most once a minute', async () => {
    const { token } = await table.create(database.db, ADMIN, T0, IDLE);
    await table.resolve(database.db, token, after(MINUTE - 1), IDLE);
    expect((await stored())[0]).toMatchObject({ last_seen_at: T0.toISOString(), expires_at: after(IDLE).toISOString() });
    await table.resolve(database.db, token, after(MINUTE), IDLE);
    expect((await stored())[0]).toMatchObject({
      last_seen_at: after(MINUTE).toISOString(),
      expires_at: after(MINUTE + IDLE).toISOString(),
    });
    // Past the first idle expiry, alive because of the slide.
    expect(await table.resolve(database.db, token, after(IDLE + 1), IDLE)).toMatchObject(ADMIN);
  });

  it('neither returns nor slides a row the caller refuses', async () => {
    const { token } = await table.create(database.db, ADMIN, T0, IDLE);
    expect(await table.resolve(database.db, token, after(5 * MINUTE), IDLE, (row) => row.bin !== ADMIN.bin)).toBeNull();
    expect((await stored())[0]).toMatchObject({ last_seen_at: T0.toISOString() });
  });

  it('ends one session and purges only the expired ones', async () => {
    const ended = await table.create(database.db, ADMIN, T0, IDLE);
    await table.create(database.db, ADMIN, T0, IDLE);
    const live = await table.create(database.db, ADMIN, after(IDLE), IDLE);
    await table.end(database.db, ended.token);
    expect(await stored()).toHaveLength(2);
    expect(await table.purgeExpired(database.db, after(IDLE))).toBe(1);
    expect(await stored()).toEqual([expect.objectContaining({ token_hash: hashToken(live.token) })]);
  });
});
