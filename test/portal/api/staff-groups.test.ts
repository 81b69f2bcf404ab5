/**
 * A kindergarten's age groups over HTTP (docs/domain.md "Age groups and the August moves"): staff
 * record a group per category and age with its capacity, change it, list them with the children
 * in each; refusals (a category the kindergarten does not serve, a bad age), audit, /openapi.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgeGroupsResponse, StaffLoginResponse } from '../../../protocol/staff-api.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith } from '../server/real-signatures.ts';
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
    ]);
    expect(rows.every((r) => (JSON.parse(r.details) as { bin: string }).bin === KINDERGARTEN_145_BIN)).toBe(
      true,
    );
    const paths = (await portal.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>().paths;
    expect(Object.keys(paths['/api/staff/groups'] ?? {}).sort()).toEqual(['get', 'put']);
  });
});
