/**
 * A kindergarten's age groups over HTTP (docs/domain.md "Age groups and the August moves"): staff
 * record a group per category and age with its capacity, change it, list them with the children
 * in each; refusals (a category the kindergarten does not serve, a bad age), audit, /openapi.json;
 * staff move a child by hand into a group with a free place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgeGroupsResponse, StaffLoginResponse } from '../../../protocol/staff-api.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith } from '../server/real-signatures.ts';
import { enrolled } from '../queue/fixtures.ts';
import { HEAD, KINDERGARTEN_145_BIN, seedKindergarten145, ZHANAR } from './fixtures.ts';

describe.each(DATABASE_KINDS)('staff: age groups (%s)', (kind) => {
  let portal: TestPortal;
  let staff: Record<string, string>;
  let kindergartenId: number;
  const call = (method: 'GET' | 'PUT', payload?: object) =>
    portal.app.inject({ method, url: '/api/staff/groups', headers: staff, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      kind,
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
    });
    kindergartenId = await seedKindergarten145(portal.database.db);
    staff = {
      authorization: `Bearer ${(await loginWith(portal, HEAD, '/api/staff/auth/login')).json<StaffLoginResponse>().token}`,
    };
  }, 60_000);
  afterAll(() => portal?.close());

  it('records a group, changes it in place, and lists each with its enrolled children', async () => {
    const three = { category: 'speech', age: 3, nameKk: 'Кіші топ', nameRu: 'Младшая группа', capacity: 12 };
    expect((await call('PUT', three)).statusCode).toBe(200);
    const four = {
      category: 'speech',
      age: 4,
      nameKk: 'Ортаңғы топ',
      nameRu: 'Средняя группа',
      capacity: 10,
    };
    const saved = (await call('PUT', four)).json<AgeGroupsResponse>();
    const groupId = saved.items.find((g) => g.age === 3)?.groupId;
    await portal.database.db
      .insertInto('children')
      .values({
        iin: '230101500011',
        last_name: 'А',
        first_name: 'Б',
        middle_name: null,
        birth_date: '2023-01-01',
        enrolled_in: kindergartenId,
        group_id: Number(groupId),
      })
      .execute();
    expect((await call('PUT', { ...three, capacity: 15 })).statusCode).toBe(200);
    expect((await call('GET')).json<AgeGroupsResponse>().items).toEqual([
      { ...three, capacity: 15, groupId, children: 1 },
      { ...four, groupId: expect.any(String), children: 0 },
    ]);
  });

  it('refuses a category the kindergarten does not serve and a bad age', async () => {
    const hearing = await call('PUT', {
      category: 'hearing',
      age: 3,
      nameKk: 'Топ',
      nameRu: 'Группа',
      capacity: 5,
    });
    expect(hearing.statusCode).toBeGreaterThanOrEqual(400);
    expect(hearing.json()).toMatchObject({ code: 'CATEGORY_NOT_SERVED' });
    const old = await call('PUT', {
      category: 'speech',
      age: 9,
      nameKk: 'Топ',
      nameRu: 'Группа',
      capacity: 5,
    });
    expect(old.statusCode).toBe(400);
    expect((await call('GET')).json<AgeGroupsResponse>().items).toHaveLength(2);
  });

  it('moves an enrolled child into a group with a free place, by hand; refuses a full group, another category, a stranger', async () => {
    const db = portal.database.db;
    const five = { category: 'speech', age: 5, nameKk: 'Ересек топ', nameRu: 'Старшая группа', capacity: 1 };
    const groups = (await call('PUT', five)).json<AgeGroupsResponse>().items;
    const [threeId, fiveId] = [3, 5].map((age) => Number(groups.find((g) => g.age === age)?.groupId));
    const a = await enrolled(db, kindergartenId, threeId!, '2022-02-01', '2025-01-01T00:00:00.000Z');
    const b = await enrolled(db, kindergartenId, threeId!, '2022-03-01', '2025-01-02T00:00:00.000Z');
    const move = (childIin: string, groupId: number | string) =>
      portal.app.inject({
        method: 'POST',
        url: '/api/staff/groups/move',
        headers: staff,
        payload: { childIin, groupId: String(groupId) },
      });

    const moved = await move(a.childIin, fiveId!);
    expect(moved.statusCode).toBe(200);
    expect(moved.json<AgeGroupsResponse>().items.find((g) => g.age === 5)?.children).toBe(1);
    const history = await db
      .selectFrom('application_history')
      .select(['event', 'actor', 'status'])
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(history).toEqual([{ event: 'group_moved', actor: `kindergarten:${KINDERGARTEN_145_BIN}`, status: 'enrolled' }]);
    expect((await move(a.childIin, fiveId!)).statusCode).toBe(200); // already there: nothing changes

    const full = await move(b.childIin, fiveId!);
    expect([full.statusCode, full.json<{ code: string }>().code]).toEqual([409, 'GROUP_FULL']);
    const missing = await move(b.childIin, 999_999);
    expect([missing.statusCode, missing.json<{ code: string }>().code]).toEqual([404, 'GROUP_NOT_FOUND']);
    await db.insertInto('kindergarten_categories').values({ kindergarten_id: kindergartenId, category: 'hearing' }).execute();
    const hearing = await call('PUT', { ...five, category: 'hearing', capacity: 5 });
    const hearingId = hearing.json<AgeGroupsResponse>().items.find((g) => g.category === 'hearing')?.groupId;
    const other = await move(b.childIin, hearingId!);
    expect([other.statusCode, other.json<{ code: string }>().code]).toEqual([409, 'GROUP_OTHER_CATEGORY']);
    const stranger = await move('230101500099', fiveId!);
    expect([stranger.statusCode, stranger.json<{ code: string }>().code]).toEqual([404, 'CHILD_NOT_FOUND']);
    await db.updateTable('children').set({ enrolled_in: null }).where('id', '=', b.childId).execute();
    const away = await move(b.childIin, threeId!);
    expect([away.statusCode, away.json<{ code: string }>().code]).toEqual([409, 'CHILD_NOT_ENROLLED_HERE']);

    const audit = await db.selectFrom('audit_log').select(['subject', 'details']).where('action', '=', 'staff.group.move').execute();
    expect(audit.map((r) => [r.subject, (JSON.parse(r.details) as { groupId: string }).groupId])).toEqual([
      [a.childIin, String(fiveId)],
      [a.childIin, String(fiveId)],
    ]);
  });

  it('audits each change under the staff member and the BIN, and lists the routes in /openapi.json', async () => {
    const rows = await portal.database.db
      .selectFrom('audit_log')
      .select(['actor_iin', 'details'])
      .where('action', '=', 'staff.group.save')
      .orderBy('id')
      .execute();
    expect(
      rows.map((r) => [r.actor_iin, (JSON.parse(r.details) as { bin: string; capacity: number }).capacity]),
    ).toEqual([
      [ZHANAR, 12],
      [ZHANAR, 10],
      [ZHANAR, 15],
      [ZHANAR, 1],
      [ZHANAR, 5],
    ]);
    expect(rows.every((r) => (JSON.parse(r.details) as { bin: string }).bin === KINDERGARTEN_145_BIN)).toBe(
      true,
    );
    const paths = (await portal.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>().paths;
    expect(Object.keys(paths['/api/staff/groups'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(Object.keys(paths['/api/staff/groups/move'] ?? {})).toEqual(['post']);
  });
});
