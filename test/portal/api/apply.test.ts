/**
 * The application wizard over HTTP with real signatures (docs/applications.md): regions and
 * services, contact codes, the benefit proof, and the signed application with each of its refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicationXml, type ApplicationDocument } from '../../../protocol/signed-documents.ts';
import type { JournalPage } from '../../../protocol/portal-api.ts';
import { getDemoPki, type DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith, signWith } from '../server/real-signatures.ts';
import { DAUREN, seedKindergarten145 } from './fixtures.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { iinCheckDigit } from '../../../signing/identifiers.ts';
import { SMS_CODE_RULES } from '../../../portal/auth/sms-codes.ts';
import {
  JOB_PROOF_PURGE,
  onProofPurge,
  purgeUnnamedProofs,
  scheduleProofPurge,
  UNNAMED_PROOF_KEEP_MS,
} from '../../../portal/applications/benefit-proofs.ts';
import { runDueJobs } from '../../../portal/scheduler/jobs.ts';

/** A valid IIN for a child born on `yymmdd` in the 2000s (7th digit 5: a boy). */
const childIin = (yymmdd: string, serial = '0001'): string => {
  const first11 = `${yymmdd}5${serial}`;
  return `${first11}${iinCheckDigit(first11)}`;
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]);

describe.each(DATABASE_KINDS)('the application wizard (%s)', (kind) => {
  let portal: TestPortal;
  let auth: Record<string, string>;
  let kg145: number;
  let centre: number;
  let otherKindergarten: number;

  const post = (url: string, payload: Record<string, unknown>, headers = auth) =>
    portal.app.inject({ method: 'POST', url, headers, payload });
  const latestCode = async (recipient: string): Promise<string> => {
    const row = await portal.database.db
      .selectFrom('outbox')
      .select('body')
      .where('recipient', '=', recipient)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return /(\d{6})/.exec(row.body)?.[1] ?? '';
  };
  async function confirm(channel: 'phone' | 'phone2' | 'email', target: string): Promise<void> {
    expect((await post('/api/contact-codes', { channel, target })).statusCode).toBe(200);
    const res = await post('/api/contact-codes/confirm', { channel, target, code: await latestCode(target) });
    expect(res.json()).toEqual({ confirmed: true });
  }
  const base = (): ApplicationDocument => ({
    service: 'special_organisation',
    region: 'almaty-city',
    consentRules: 'yes',
    consentPersonalData: 'yes',
    consentContacts: 'yes',
    phone: '+77011112233',
    email: 'dauren@example.kz',
    applicantIin: DAUREN,
    childIin: childIin('220315'),
    childLastName: 'Әбілов',
    childFirstName: 'Нұр',
    organisationIds: String(kg145),
    category: 'speech',
    benefitType: 'none',
    notify: 'yes',
    notifySms: 'yes',
    notifyEmail: 'no',
    notifyLanguage: 'kk',
    requestedAt: portal.clock.now.toISOString(),
  });
  async function submit(
    doc: ApplicationDocument,
    key: DemoKeyFilter = { slug: 'abilov-dauren', purpose: 'SIGN' },
  ) {
    const signedXml = await signWith(key, buildApplicationXml(doc));
    return post('/api/applications', { signedXml });
  }
  const refusal = async (doc: ApplicationDocument, key?: DemoKeyFilter) =>
    (await submit(doc, key)).json<{ code: string }>().code;

  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      kind,
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
    });
    const db = portal.database.db;
    kg145 = await seedKindergarten145(db);
    const add = async (bin: string, kindOf: 'special_kindergarten' | 'rehabilitation_centre', districtRu: string | null = null) => {
      const row = await db
        .insertInto('kindergartens')
        .values({
          name_kk: `Ұйым ${bin}`,
          name_ru: `Организация ${bin}`,
          bin,
          district: 'Бостандық',
          district_ru: districtRu,
          address: 'Алматы қ.',
          phone: '+7 727 000 00 00',
          website: null,
          language: 'ru',
          lat: 43.2,
          lon: 76.9,
          kind: kindOf,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('kindergarten_categories')
        .values({ kindergarten_id: row.id, category: 'speech' })
        .execute();
      return row.id;
    };
    centre = await add('050540000146', 'rehabilitation_centre', 'Бостандыкский район');
    otherKindergarten = await add('050540000147', 'special_kindergarten');
    const token = (await loginWith(portal, { slug: 'abilov-dauren', purpose: 'AUTH' })).json<{
      token: string;
    }>().token;
    auth = { authorization: `Bearer ${token}` };
  }, 60_000);
  afterAll(() => portal?.close());

  it('lists the regions and the five services, only one of them a form; an unknown region is refused', async () => {
    const regions = (await portal.app.inject({ method: 'GET', url: '/api/regions' })).json<{
      items: Array<{ id: string }>;
      schoolAge: number;
    }>();
    expect(regions.items.map((r) => r.id)).toContain('almaty-city');
    // The app judges the child's age at step 2 by the portal's school age.
    expect(regions.schoolAge).toBe(6);
    const services = await portal.app.inject({ method: 'GET', url: '/api/services?region=almaty-city' });
    const items = services.json<{ items: Array<{ id: string; availability: string; whereToGo: unknown }> }>()
      .items;
    expect(items.map((s) => [s.id, s.availability])).toEqual([
      ['pmpk_booking', 'pmpk'],
      ['special_organisation', 'wizard'],
      ['home_schooling', 'elsewhere'],
      ['pmpk_conclusion', 'elsewhere'],
      ['rehabilitation', 'elsewhere'],
    ]);
    expect(items.filter((s) => s.availability === 'elsewhere').every((s) => s.whereToGo !== null)).toBe(true);
    const unknown = await portal.app.inject({ method: 'GET', url: '/api/services?region=atlantis' });
    expect([unknown.statusCode, unknown.json<{ code: string }>().code]).toEqual([404, 'UNKNOWN_REGION']);
  });

  it('filters organisations by language and district, with their kind and categories', async () => {
    const res = await portal.app.inject({
      method: 'GET',
      url: '/api/organisations?language=ru&district=%D0%91%D0%BE%D1%81%D1%82%D0%B0%D0%BD%D0%B4%D1%8B%D2%9B',
      headers: auth,
    });
    const body = res.json<{ items: Array<{ id: string; kind: string; categories: string[] }>; districts: unknown[] }>();
    expect(body.items).toEqual([
      expect.objectContaining({ id: String(centre), kind: 'rehabilitation_centre', categories: ['speech'] }),
      expect.objectContaining({ id: String(otherKindergarten), kind: 'special_kindergarten' }),
    ]);
    // Every district once, keyed by its Kazakh name, with the Russian one where a place of it has one.
    expect(body.districts).toEqual([
      { district: 'Алмалы', districtRu: null },
      { district: 'Бостандық', districtRu: 'Бостандыкский район' },
    ]);
  });

  it('confirms a contact by its code once; a wrong, reused or early code is refused', async () => {
    expect((await post('/api/contact-codes', { channel: 'phone', target: '12345' })).json()).toMatchObject({
      code: 'CONTACT_INVALID',
    });
    expect((await post('/api/contact-codes', { channel: 'phone2', target: '+77022223344' })).statusCode).toBe(
      200,
    );
    expect(
      (await post('/api/contact-codes', { channel: 'phone2', target: '+77022223344' })).json(),
    ).toMatchObject({ code: 'CONTACT_CODE_TOO_SOON' });
    const code = await latestCode('+77022223344');
    const wrong = code === '000000' ? '111111' : '000000';
    expect(
      (
        await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77022223344', code: wrong })
      ).json(),
    ).toMatchObject({ code: 'CONTACT_CODE_INVALID' });
    // The right code for another number confirms nothing.
    expect(
      (await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77029998877', code })).json(),
    ).toMatchObject({ code: 'CONTACT_CODE_INVALID' });
    expect(
      (await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77022223344', code })).json(),
    ).toEqual({ confirmed: true });
    expect(
      (await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77022223344', code })).json(),
    ).toMatchObject({ code: 'CONTACT_CODE_INVALID' });
  });

  it("refuses an expired code, and counts guesses up to the day's budget", async () => {
    portal.clock.now = new Date(portal.clock.now.getTime() + SMS_CODE_RULES.cooldownMs);
    expect((await post('/api/contact-codes', { channel: 'phone2', target: '+77022223344' })).statusCode).toBe(
      200,
    );
    const code = await latestCode('+77022223344');
    portal.clock.now = new Date(portal.clock.now.getTime() + SMS_CODE_RULES.ttlMs + 1000);
    expect(
      (await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77022223344', code })).json(),
    ).toMatchObject({ code: 'CONTACT_CODE_EXPIRED' });
    expect((await post('/api/contact-codes', { channel: 'phone2', target: '+77022223344' })).statusCode).toBe(
      200,
    );
    const fresh = await latestCode('+77022223344');
    const wrong = fresh === '000000' ? '111111' : '000000';
    const codes: string[] = [];
    for (let i = 0; i < SMS_CODE_RULES.guessesPerWindow; i++) {
      codes.push(
        (
          await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77022223344', code: wrong })
        ).json<{ code: string }>().code,
      );
    }
    expect(codes.at(-1)).toBe('CONTACT_CODE_ATTEMPTS');
    expect(
      (
        await post('/api/contact-codes/confirm', { channel: 'phone2', target: '+77022223344', code: fresh })
      ).json(),
    ).toMatchObject({ code: 'CONTACT_CODE_ATTEMPTS' });
  });

  it('takes a JPEG, PNG or PDF by its content and refuses a renamed .exe or an oversized file', async () => {
    const png = await post('/api/benefit-proofs', {
      filename: 'proof.jpg',
      contentBase64: PNG.toString('base64'),
    });
    expect(png.json()).toMatchObject({ contentType: 'image/png', size: PNG.length });
    const exe = await post('/api/benefit-proofs', {
      filename: 'proof.jpg',
      contentBase64: EXE.toString('base64'),
    });
    expect([exe.statusCode, exe.json<{ code: string }>().code]).toEqual([422, 'UPLOAD_TYPE_REFUSED']);
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await post('/api/benefit-proofs', {
      filename: 'big.pdf',
      contentBase64: big.toString('base64'),
    });
    expect([tooBig.statusCode, tooBig.json<{ code: string }>().code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
  });

  it('refuses each broken rule of the signed application with its own code', async () => {
    portal.clock.now = new Date(portal.clock.now.getTime() + SMS_CODE_RULES.cooldownMs);
    expect(await refusal(base())).toBe('CONTACT_NOT_CONFIRMED');
    await confirm('phone', '+77011112233');
    await confirm('email', 'dauren@example.kz');
    expect(await refusal({ ...base(), region: 'atlantis' })).toBe('UNKNOWN_REGION');
    expect(await refusal({ ...base(), consentPersonalData: 'no' })).toBe('CONSENT_MISSING');
    expect(await refusal({ ...base(), phone2: '+77025556677' })).toBe('CONTACT_NOT_CONFIRMED');
    expect(await refusal({ ...base(), applicantIin: '750505406541' })).toBe('PARENT_NOT_APPLICANT');
    const badCheck = childIin('220315').slice(0, 11) + String((Number(childIin('220315')[11]) + 1) % 10);
    expect(await refusal({ ...base(), childIin: badCheck })).toBe('CHILD_IIN_INVALID');
    expect(await refusal({ ...base(), childIin: childIin('190101') })).toBe('CHILD_AGE_OUT_OF_RANGE');
    expect(await refusal({ ...base(), organisationIds: '999999' })).toBe('ORGANISATION_NOT_FOUND');
    expect(await refusal({ ...base(), category: 'vision' })).toBe('CATEGORY_NOT_SERVED');
    expect(await refusal({ ...base(), organisationIds: `${kg145},${otherKindergarten}` })).toBe(
      'QUEUE_KIND_TWICE',
    );
    expect(await refusal({ ...base(), benefitType: 'priority', benefitKind: 'large_family' })).toBe(
      'BENEFIT_PROOF_MISSING',
    );
    expect(
      await refusal({
        ...base(),
        requestedAt: new Date(portal.clock.now.getTime() - 2 * 3600_000).toISOString(),
      }),
    ).toBe('SIGN_TIMESTAMP_OUT_OF_RANGE');
    expect(await refusal(base(), { slug: 'abilov-dauren', purpose: 'AUTH' })).toBe('SIGN_WRONG_PURPOSE');
    expect(await refusal(base(), { slug: 'nurlanova-gulnar', purpose: 'SIGN' })).toBe('SIGNER_NOT_APPLICANT');
    expect(
      (
        await portal.app.inject({ method: 'GET', url: '/api/applications', headers: auth })
      ).json<JournalPage>().total,
    ).toBe(0);
  }, 120_000);

  it('registers one application per organisation, with the proof and the signed document, in the journal at once; the same signature once', async () => {
    const proof = (
      await post('/api/benefit-proofs', {
        filename: 'certificate.png',
        contentBase64: PNG.toString('base64'),
      })
    ).json<{ id: string; sha256: string }>();
    const doc: ApplicationDocument = {
      ...base(),
      organisationIds: `${kg145},${centre}`,
      benefitType: 'priority',
      benefitKind: 'large_family',
      benefitProofId: proof.id,
      benefitProofSha256: proof.sha256,
    };
    const signedXml = await signWith({ slug: 'abilov-dauren', purpose: 'SIGN' }, buildApplicationXml(doc));
    const res = await post('/api/applications', { signedXml });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: Array<{ id: string; organisationId: string }> }>().items;
    expect(items.map((i) => i.organisationId)).toEqual([String(kg145), String(centre)]);
    const again = await post('/api/applications', { signedXml });
    expect(again.json()).toEqual(res.json());
    const journal = (
      await portal.app.inject({ method: 'GET', url: '/api/applications', headers: auth })
    ).json<JournalPage>();
    expect(journal.total).toBe(2);
    expect(journal.items.every((i) => i.status === 'in_queue' && typeof i.queueNumber === 'number')).toBe(
      true,
    );
    const docs = await portal.app.inject({
      method: 'GET',
      url: `/api/applications/${items[0]?.id}/documents`,
      headers: auth,
    });
    expect(
      docs
        .json<{ items: Array<{ kind: string }> }>()
        .items.map((d) => d.kind)
        .sort(),
    ).toEqual(['application_xml', 'benefit_proof']);
    // The child now waits in both kinds: a new application for a special kindergarten is refused.
    expect(await refusal({ ...base(), organisationIds: String(otherKindergarten) })).toBe('QUEUE_KIND_TWICE');
  }, 60_000);

  it('purges, once, the proofs no application named a day after their upload, never a named one, and audits the count', async () => {
    const db = portal.database.db;
    const upload = async () =>
      (
        await post('/api/benefit-proofs', { filename: 'certificate.png', contentBase64: PNG.toString('base64') })
      ).json<{ id: string; sha256: string }>();
    const unnamed = await upload();
    const named = await upload();
    const doc: ApplicationDocument = {
      ...base(),
      childIin: childIin('220316', '0002'),
      benefitType: 'priority',
      benefitKind: 'large_family',
      benefitProofId: named.id,
      benefitProofSha256: named.sha256,
    };
    expect((await submit(doc)).statusCode).toBe(200);
    const ids = async () =>
      (await db.selectFrom('benefit_proofs').select('id').orderBy('id').execute()).map((r) => String(r.id));
    const before = await ids();

    portal.clock.now = new Date(portal.clock.now.getTime() + UNNAMED_PROOF_KEEP_MS + 60_000);
    const now = portal.clock.now;
    // Two processes schedule the hour's purge and run their due jobs: one purge runs.
    await scheduleProofPurge(db, now);
    await scheduleProofPurge(db, now);
    const handlers = { [JOB_PROOF_PURGE]: onProofPurge };
    const runs = await Promise.all([
      runDueJobs(db, now, handlers, { workerId: 'a' }),
      runDueJobs(db, now, handlers, { workerId: 'b' }),
    ]);
    expect(runs.reduce((n, r) => n + r.ran, 0)).toBe(1);

    const after = await ids();
    expect(after).toContain(named.id);
    expect(after).not.toContain(unnamed.id);
    const audits = await db.selectFrom('audit_log').select('details').where('action', '=', 'benefit_proofs.purge').execute();
    expect(audits.map((a) => JSON.parse(a.details).deleted)).toEqual([before.length - after.length]);
    // A fresh upload stays; an application naming a purged proof is refused (a day later: log in again).
    const token = (await loginWith(portal, { slug: 'abilov-dauren', purpose: 'AUTH' })).json<{ token: string }>().token;
    auth = { authorization: `Bearer ${token}` };
    await confirm('phone', doc.phone);
    await confirm('email', doc.email ?? '');
    const fresh = await upload();
    expect(await purgeUnnamedProofs(db, now)).toBe(0);
    expect(await ids()).toContain(fresh.id);
    expect(
      await refusal({ ...doc, requestedAt: now.toISOString(), childIin: childIin('220317', '0003'), benefitProofId: unnamed.id, benefitProofSha256: unnamed.sha256 }),
    ).toBe('BENEFIT_PROOF_MISSING');
  }, 60_000);
});
