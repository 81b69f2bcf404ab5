/** The application draft kept by main (docs/applications.md, The draft) and each step's checks. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationDraft } from '../../contract/contract.ts';
import { ApplicationDraftStore } from '../../main/application-draft-store.ts';
import { ApplicationService, childFacts, draftIssues, toDocument } from '../../main/application-service.ts';
import type { AuthService } from '../../main/auth-service.ts';
import type { PortalClient } from '../../main/portal-client.ts';
import type { SigningService } from '../../main/signing-service.ts';
import { buildApplicationXml, parseApplicationXml } from '../../protocol/signed-documents.ts';
import { iinCheckDigit } from '../../signing/identifiers.ts';

const PARENT = '900702304562';
const child = (() => {
  const first11 = '22031550001';
  return `${first11}${iinCheckDigit(first11)}`;
})();

const complete = (): ApplicationDraft =>
  ApplicationDraft.parse({
    step: 6,
    region: 'almaty-city',
    consents: { rules: true, personalData: true, contacts: true },
    phone: '+77011112233',
    confirmed: { phone: '+77011112233' },
    childIin: child,
    childLastName: 'Әбілов',
    childFirstName: 'Нұр',
    organisationIds: ['3'],
    category: 'speech',
    benefitType: 'none',
    notify: true,
    notifySms: true,
    notifyLanguage: 'kk',
  });

describe('ApplicationDraftStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-drafts-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps a draft per applicant across a new store (a restart), and discards it', async () => {
    await new ApplicationDraftStore(dir).save(PARENT, complete());
    const again = new ApplicationDraftStore(dir);
    expect(await again.get(PARENT)).toEqual(complete());
    expect(await again.get('750505406541')).toEqual(ApplicationDraft.parse({}));
    await again.discard(PARENT);
    expect(await again.get(PARENT)).toEqual(ApplicationDraft.parse({}));
  });

  it('writes one save after another: the last one stands, whole, and no temporary file is left', async () => {
    const store = new ApplicationDraftStore(dir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.save(PARENT, { ...complete(), childFirstName: `Нұр${i}` })),
    );
    expect((await store.get(PARENT)).childFirstName).toBe('Нұр19');
    expect(await readdir(dir)).toEqual([`${PARENT}.json`]);
  });

  it('sets an invalid file aside and starts afresh', async () => {
    await writeFile(path.join(dir, `${PARENT}.json`), JSON.stringify({ step: 9, phone: 42 }));
    const warnings: string[] = [];
    const store = new ApplicationDraftStore(dir, (m) => warnings.push(m));
    expect(await store.get(PARENT)).toEqual(ApplicationDraft.parse({}));
    expect((await readdir(dir)).some((f) => f.startsWith(`${PARENT}.json.corrupt-`))).toBe(true);
    expect(warnings).toHaveLength(1);
  });

  it('refuses a file name that is not an IIN', async () => {
    const store = new ApplicationDraftStore(dir);
    await expect(store.save('../../etc/x', complete())).rejects.toThrow('a draft belongs to an IIN');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('draftIssues', () => {
  it('finds nothing in a complete draft, and a document that parses back the same', () => {
    expect(draftIssues(complete(), PARENT)).toEqual([]);
    const doc = toDocument(complete(), PARENT, '2026-12-02T05:00:00.000Z');
    expect(parseApplicationXml(buildApplicationXml(doc))).toEqual(doc);
  });

  it("names each step's problem", () => {
    const codes = (patch: Partial<ApplicationDraft>) =>
      draftIssues({ ...complete(), ...patch }, PARENT).map((i) => `${i.step}:${i.field}:${i.code}`);
    expect(codes({ consents: { rules: true, personalData: false, contacts: true } })).toEqual([
      '0:consents:CONSENT_MISSING',
    ]);
    expect(codes({ phone: '+77019998877' })).toEqual(['1:phone:NOT_CONFIRMED']);
    expect(codes({ phone: '8701' })).toEqual(['1:phone:PHONE_INVALID']);
    expect(codes({ email: 'a@b.kz' })).toEqual(['1:email:NOT_CONFIRMED']);
    expect(codes({ childIin: `${child.slice(0, 11)}${(Number(child[11]) + 1) % 10}` })).toEqual([
      '2:childIin:IIN_INVALID',
    ]);
    expect(codes({ childIin: PARENT })).toEqual(['2:childIin:CHILD_IS_PARENT']);
    expect(codes({ organisationIds: [] })).toEqual(['3:organisationIds:REQUIRED']);
    expect(codes({ benefitType: 'priority', benefitKind: 'large_family' })).toEqual([
      '4:proof:PROOF_MISSING',
    ]);
    expect(codes({ notifySms: false })).toEqual(['5:channels:CHANNEL_MISSING']);
  });

  it("judges the child's age at step 2 by the portal's clock and school age: the cut-off is 1 September", () => {
    const iin = (yymmdd: string) => `${yymmdd}50001${iinCheckDigit(`${yymmdd}50001`)}`;
    const age = (now: string) => ({ now: new Date(now), schoolAge: 6 });
    const codes = (childIin: string, now: string) =>
      draftIssues({ ...complete(), childIin }, PARENT, age(now)).map((i) => `${i.step}:${i.field}:${i.code}`);
    // In December 2026 the coming 1 September is 2027's: born on 1 September 2021 is six by then.
    expect(codes(iin('210901'), '2026-12-02T05:00:00Z')).toEqual(['2:childIin:CHILD_AGE_OUT_OF_RANGE']);
    expect(codes(iin('210902'), '2026-12-02T05:00:00Z')).toEqual([]);
    // In August 2026 it is 2026's: born on 2 September 2020 still fits.
    expect(codes(iin('200902'), '2026-08-31T05:00:00Z')).toEqual([]);
    expect(codes(iin('200901'), '2026-08-31T05:00:00Z')).toEqual(['2:childIin:CHILD_AGE_OUT_OF_RANGE']);
    // Not born yet.
    expect(codes(iin('270101'), '2026-12-02T05:00:00Z')).toEqual(['2:childIin:CHILD_AGE_OUT_OF_RANGE']);
    // Without the portal's rule (offline) the age is left to the portal.
    expect(draftIssues({ ...complete(), childIin: iin('190101') }, PARENT)).toEqual([]);
  });

  it('reads the birth date and sex from a valid IIN only', () => {
    expect(childFacts(child)).toEqual({ birthDate: '2022-03-15', sex: 'male' });
    const girl = `2203156000${'1'}`;
    expect(childFacts(`${girl}${iinCheckDigit(girl)}`)).toEqual({ birthDate: '2022-03-15', sex: 'female' });
    expect(childFacts(`${child.slice(0, 11)}${(Number(child[11]) + 1) % 10}`)).toBeUndefined();
    expect(childFacts(undefined)).toBeUndefined();
  });
});

describe('ApplicationService keeps what main stores while the window saves', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-drafts-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A store whose reads are slow, as a busy disk's: two changes at once then overlap. */
  class SlowReads extends ApplicationDraftStore {
    override async get(iin: string) {
      const draft = await super.get(iin);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return draft;
    }
  }

  it("saving step 2 answers the child's facts and the age issue, by the portal's clock", async () => {
    const auth = { currentIin: PARENT, authed: <T>(call: (token: string) => Promise<T>) => call('token') };
    // The portal's clock is in August 2026, whatever this computer's says.
    const portal = { regions: async () => ({ items: [], asOf: '2026-08-31T05:00:00.000Z', schoolAge: 6 }) };
    const service = new ApplicationService(
      auth as unknown as AuthService,
      portal as unknown as PortalClient,
      {} as SigningService,
      new ApplicationDraftStore(dir),
    );
    const { confirmed: _confirmed, proof: _proof, ...rest } = complete();
    const tooOld = `20090150001`;
    const state = await service.saveDraft({ ...rest, childIin: `${tooOld}${iinCheckDigit(tooOld)}` });
    expect(state.child).toEqual({ birthDate: '2020-09-01', sex: 'male' });
    expect(state.issues.map((i) => i.code)).toContain('CHILD_AGE_OUT_OF_RANGE');
    expect((await service.saveDraft(rest)).issues.map((i) => i.code)).not.toContain('CHILD_AGE_OUT_OF_RANGE');
  });

  it("a phone confirmed while the window saves its fields: both stand", async () => {
    const auth = { currentIin: PARENT, authed: <T>(call: (token: string) => Promise<T>) => call('token') };
    const portal = { confirmContactCode: async () => ({ confirmed: true }) };
    const service = new ApplicationService(
      auth as unknown as AuthService,
      portal as unknown as PortalClient,
      {} as SigningService,
      new SlowReads(dir),
    );
    const { confirmed: _confirmed, proof: _proof, ...rest } = complete();
    const fields = { ...rest, childFirstName: 'Айлин' };
    await Promise.all([
      service.saveDraft(fields),
      service.confirmCode('phone', '+77011112233', '123456'),
    ]);
    const stored = await new ApplicationDraftStore(dir).get(PARENT);
    expect(stored.childFirstName).toBe('Айлин');
    expect(stored.confirmed).toMatchObject({ phone: '+77011112233' });
  });

  it('previews the exact XML it then signs: the window shows that text and never builds it', async () => {
    const auth = { currentIin: PARENT, authed: <T>(call: (token: string) => Promise<T>) => call('token') };
    const submitted: string[] = [];
    const portal = {
      regions: async () => ({ items: [], asOf: '2026-08-31T05:00:00.000Z', schoolAge: 6 }),
      submitApplication: async (_token: string, signedXml: string) => {
        submitted.push(signedXml);
        return { items: [] };
      },
    };
    const signed: string[] = [];
    const signing = {
      withKey: async <T>(_ref: unknown, _secret: string, _options: unknown, use: (sign: (xml: string) => Promise<string>) => Promise<T>) =>
        use(async (xml) => {
          signed.push(xml);
          return `<signed>${xml}</signed>`;
        }),
    };
    const store = new ApplicationDraftStore(dir);
    await store.save(PARENT, complete());
    const service = new ApplicationService(auth as unknown as AuthService, portal as unknown as PortalClient, signing as unknown as SigningService, store);
    const { document, xml } = await service.preview();
    expect(xml).toBe(buildApplicationXml(document));
    expect(parseApplicationXml(xml)).toEqual(document);
    await service.signAndSubmit({ kind: 'file', path: '/keys/k.p12', index: 0 }, 'secret');
    expect(signed).toEqual([xml]);
    expect(submitted).toEqual([`<signed>${xml}</signed>`]);
  });
});
