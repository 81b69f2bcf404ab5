/**
 * Two OS processes submitting different signed applications for the same children and queue kind
 * at the same moment (docs/applications.md, step 3): each child gets one live application of the
 * kind, the other is refused with QUEUE_KIND_TWICE (never a server error), on PostgreSQL and on an
 * SQLite file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseKind } from '../../../portal/db/database.ts';
import type { DB } from '../../../portal/db/schema.ts';
import { buildApplicationXml, type ApplicationDocument } from '../../../protocol/signed-documents.ts';
import { iinCheckDigit } from '../../../signing/identifiers.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { createTestDatabase } from '../../helpers/portal-db.ts';
import { signWith } from '../server/real-signatures.ts';
import { DAUREN, seedKindergarten145 } from './fixtures.ts';

const script = fileURLToPath(new URL('./application-process.ts', import.meta.url));
const CHILDREN = 8;
const PHONE = '+77011112233';

interface Summary {
  won: number;
  refused: string[];
}

/** Starts one process per list of signed files, lets them all go at once when every one is ready. */
async function race(url: string, now: string, pkiDir: string, fileLists: string[][]): Promise<Summary[]> {
  const children = fileLists.map((files) =>
    spawn(process.execPath, ['--import', 'tsx', script, url, now, pkiDir, DAUREN, ...files], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const outputs = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const next = async (it: AsyncIterator<string>) => {
    const r = await it.next();
    if (r.done) throw new Error('the application process ended early');
    return r.value;
  };
  for (const o of outputs) expect(await next(o)).toBe('ready');
  for (const child of children) child.stdin.write('go\n');
  const summaries = await Promise.all(outputs.map(async (o) => JSON.parse(await next(o)) as Summary));
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
  return summaries;
}

const childIin = (serial: number): string => {
  const first11 = `2203155${String(serial).padStart(4, '0')}`;
  return `${first11}${iinCheckDigit(first11)}`;
};

async function addSpecialKindergarten(db: Kysely<DB>, bin: string): Promise<number> {
  const row = await db
    .insertInto('kindergartens')
    .values({ name_kk: `Ұйым ${bin}`, name_ru: `Организация ${bin}`, bin, district: 'Бостандық', address: 'Алматы қ.', phone: '+7 727 000 00 00', website: null, language: 'ru', lat: 43.2, lon: 76.9, kind: 'special_kindergarten' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('kindergarten_categories').values({ kindergarten_id: row.id, category: 'speech' }).execute();
  return row.id;
}

describe.each<DatabaseKind>(['postgres', 'sqlite'])('two processes submitting applications at once (%s)', (kind) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function database(dir: string): Promise<{ db: Kysely<DB>; url: string }> {
    if (kind === 'postgres') {
      const d = await createTestDatabase('postgres');
      cleanup.push(async () => {
        await d.close();
        await d.drop();
      });
      return d;
    }
    const url = join(dir, 'portal.db');
    const handle = openDatabase(url);
    await migrateToLatest(handle.db);
    cleanup.push(() => handle.close());
    return { db: handle.db, url };
  }

  // Two tsx start-ups on a busy 2-core machine: a generous timeout; nothing here is timed.
  it('registers one live application per child and kind; the other gets QUEUE_KIND_TWICE', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joldama-apply-race-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { db, url } = await database(dir);
    const now = new Date(Date.parse((await getDemoPki()).index.generatedAt) + 60_000).toISOString();
    const kindergartens = [await seedKindergarten145(db), await addSpecialKindergarten(db, '050540000147')];
    await db
      .insertInto('contact_codes')
      .values({ iin: DAUREN, channel: 'phone', target: PHONE, code_hash: '-', expires_at: now, window_started_at: now, confirmed_target: PHONE, confirmed_at: now })
      .execute();
    // Process i sends, for every child, an application to kindergarten i: both of one kind.
    const lists = await Promise.all(
      kindergartens.map(async (kg, i) => {
        const files: string[] = [];
        for (let c = 1; c <= CHILDREN; c++) {
          const doc: ApplicationDocument = {
            service: 'special_organisation',
            region: 'almaty-city',
            consentRules: 'yes',
            consentPersonalData: 'yes',
            consentContacts: 'yes',
            phone: PHONE,
            applicantIin: DAUREN,
            childIin: childIin(c),
            childLastName: 'Әбілов',
            childFirstName: `Бала ${c}`,
            organisationIds: String(kg),
            category: 'speech',
            benefitType: 'none',
            notify: 'no',
            notifySms: 'no',
            notifyEmail: 'no',
            notifyLanguage: 'kk',
            requestedAt: now,
          };
          const file = join(dir, `p${i}-c${c}.xml`);
          writeFileSync(file, await signWith({ slug: 'abilov-dauren', purpose: 'SIGN' }, buildApplicationXml(doc)));
          files.push(file);
        }
        return files;
      }),
    );
    const [a, b] = await race(url, now, (await getDemoPki()).dir, lists);
    expect(a!.won + b!.won, JSON.stringify([a, b])).toBe(CHILDREN);
    expect([...a!.refused, ...b!.refused]).toEqual(Array.from({ length: CHILDREN }, () => 'QUEUE_KIND_TWICE'));
    const live = await db
      .selectFrom('applications')
      .select('child_id')
      .where('queue_type', '=', 'special_kindergarten')
      .where('status', '=', 'in_queue')
      .execute();
    expect(live).toHaveLength(CHILDREN);
    expect(new Set(live.map((r) => r.child_id)).size).toBe(CHILDREN);
    // Nothing of a loser stays behind: one claim and one signed document per application.
    expect(await db.selectFrom('signed_submissions').select('id').execute()).toHaveLength(CHILDREN);
    expect(await db.selectFrom('documents').select('id').where('kind', '=', 'application_xml').execute()).toHaveLength(CHILDREN);
  });
});
