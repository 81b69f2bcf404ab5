/**
 * The priority ratio is one setting (the queue engine's config, from the portal's configuration):
 * the journal's numbers over HTTP and the places given out both follow it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationCard, JournalPage } from '../../../protocol/portal-api.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { DAUREN, seedApplication } from '../api/fixtures.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith } from '../server/real-signatures.ts';
import { addApplication } from './fixtures.ts';

describe.each([4, 2])('one priority place in %i', (priorityEvery) => {
  let portal: TestPortal;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  let auth: Record<string, string>;
  const others: number[] = [];
  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
      queue: { priorityEvery },
    });
    // Before the applicant's (2024-05-13): P1, G1, P2, G2 (other families).
    for (const [benefit, day] of [
      ['priority', 1],
      ['none', 2],
      ['priority', 3],
      ['none', 4],
    ] as const) {
      const app = await addApplication(portal.database.db, {
        registeredAt: `2024-01-0${day}T00:00:00.000Z`,
        benefit,
      });
      others.push(app.applicationId);
    }
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    const token = (await loginWith(portal, { slug: 'abilov-dauren', purpose: 'AUTH' })).json<{
      token: string;
    }>().token;
    auth = { authorization: `Bearer ${token}` };
  }, 60_000);
  afterAll(() => portal?.close());

  const get = <T>(url: string) =>
    portal.app.inject({ method: 'GET', url, headers: auth }).then((r) => r.json<T>());

  it('numbers the applicant in the journal and the card by the configured ratio, and places follow it', async () => {
    // 4: P1 G1 G2 me P2; 2: P1 G1 P2 G2 me.
    const expected = priorityEvery === 4 ? 4 : 5;
    expect((await get<JournalPage>('/api/applications')).items[0]).toMatchObject({
      queueNumber: expected,
      benefitQueueNumber: 0,
    });
    expect((await get<ApplicationCard>(`/api/applications/${seed.applicationId}`)).child).toMatchObject({
      queueNumber: expected,
      benefitQueueNumber: 0,
    });
    const place = { bin: seed.bin, groupYear: 2021, category: 'speech' };
    const given = await portal.queue.publishVacancies(Array.from({ length: expected }, () => place));
    const [p1, g1, p2, g2] = others;
    expect(given.map((g) => g.offeredTo)).toEqual(
      priorityEvery === 4 ? [p1, g1, g2, seed.applicationId] : [p1, g1, p2, g2, seed.applicationId],
    );
  });
});
