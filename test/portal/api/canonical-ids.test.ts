/**
 * Ids in URLs and signed documents are canonical decimal integers: `1e0`, `0x1`, `01`, `" 1"`, `+1`
 * and `1.0` all read as 1 through Number(), and none of them may open record 1, on the applicant's
 * routes or the staff's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecordId } from '../../../protocol/ids.ts';
import { ReferralRequestDocument } from '../../../protocol/signed-documents.ts';
import { upsertAccountOnLogin } from '../../../portal/auth/accounts.ts';
import { createSession } from '../../../portal/auth/sessions.ts';
import { createStaffSession } from '../../../portal/auth/staff-sessions.ts';
import { addDocument } from '../../../portal/repositories/documents.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { stubVerifier } from '../server/stub-verifier.ts';
import { DAUREN, seedApplication } from './fixtures.ts';

const ONE_SPELLED_OTHERWISE = ['1e0', '0x1', '01', ' 1', '+1', '1.0', '0b1', '1 '];

describe('record ids', () => {
  it('parseRecordId takes canonical decimals only', () => {
    expect(parseRecordId('1')).toBe(1);
    expect(parseRecordId('907')).toBe(907);
    expect(parseRecordId('999999999999999')).toBe(999_999_999_999_999);
    for (const v of [...ONE_SPELLED_OTHERWISE, '0', '-1', '', '1000000000000000', 'Infinity']) expect(parseRecordId(v), v).toBeNull();
  });

  it('a signed referral request names its records canonically', () => {
    const doc = {
      applicationNumber: 'KDDO.1', applicationId: '1', offerId: '2', kindergartenId: '3', kindergartenName: 'Балапан',
      kindergartenAddress: 'Алматы', language: 'kk', childIin: '210513600014', applicantIin: DAUREN, requestedAt: '2026-11-24T06:00:00Z',
    };
    expect(ReferralRequestDocument.safeParse(doc).success).toBe(true);
    for (const field of ['applicationId', 'offerId', 'kindergartenId'] as const) {
      for (const v of ONE_SPELLED_OTHERWISE) expect(ReferralRequestDocument.safeParse({ ...doc, [field]: v }).success, `${field} ${v}`).toBe(false);
    }
  });

  describe('in URLs', () => {
    let portal: TestPortal;
    let applicant: Record<string, string>;
    let staff: Record<string, string>;
    let applicationId: number;
    let documentId: number;
    beforeAll(async () => {
      portal = await startTestPortal(stubVerifier());
      const { db } = portal.database;
      const seed = await seedApplication(db, DAUREN, '2024-05-13T06:17:04.000Z');
      applicationId = seed.applicationId;
      documentId = await addDocument(db, {
        applicationId, createdAt: portal.clock.now, kind: 'referral_xml', filename: 'r.xml', contentType: 'application/xml', content: Buffer.from('<r/>'),
      });
      await upsertAccountOnLogin(db, DAUREN, 'ӘБІЛОВ ДӘУРЕН', portal.clock.now);
      applicant = { authorization: `Bearer ${(await createSession(db, DAUREN, portal.clock.now)).token}` };
      const member = { iin: '750505406541', fullName: 'ОМАРОВА ЖАНАР', bin: seed.bin, kindergartenId: seed.kindergartenId };
      staff = { authorization: `Bearer ${(await createStaffSession(db, member, portal.clock.now)).token}` };
    });
    afterAll(() => portal.close());

    const spell = (id: number, how: string): string => encodeURIComponent(how.replace('1', String(id)));

    it('open the record under its canonical id only', async () => {
      expect(applicationId).toBe(1);
      const ok = await portal.app.inject({ method: 'GET', url: `/api/applications/${applicationId}`, headers: applicant });
      expect(ok.statusCode).toBe(200);
      for (const how of ONE_SPELLED_OTHERWISE) {
        for (const url of [
          `/api/applications/${spell(applicationId, how)}`,
          `/api/applications/${spell(applicationId, how)}/history`,
          `/api/applications/${spell(applicationId, how)}/documents`,
          `/api/applications/${applicationId}/documents/${spell(documentId, how)}`,
        ]) {
          const res = await portal.app.inject({ method: 'GET', url, headers: applicant });
          expect(res.statusCode, url).toBe(400);
          expect(res.json(), url).toMatchObject({ code: 'BAD_REQUEST' });
        }
      }
      const doc = await portal.app.inject({ method: 'GET', url: `/api/applications/${applicationId}/documents/${documentId}`, headers: applicant });
      expect(doc.body).toBe('<r/>');
    });

    it('staff routes refuse a non-canonical vacancy or referral id before acting', async () => {
      for (const how of ONE_SPELLED_OTHERWISE) {
        const withdraw = await portal.app.inject({
          method: 'POST', url: `/api/staff/vacancies/${spell(1, how)}/withdraw`, headers: staff, payload: { reason: 'Топ жабылды' },
        });
        expect(withdraw.json(), how).toMatchObject({ code: 'BAD_REQUEST' });
        const arrival = await portal.app.inject({ method: 'POST', url: `/api/staff/referrals/${spell(1, how)}/arrival`, headers: staff });
        expect(arrival.json(), how).toMatchObject({ code: 'BAD_REQUEST' });
      }
      const canonical = await portal.app.inject({ method: 'POST', url: '/api/staff/referrals/1/arrival', headers: staff });
      expect(canonical.json()).toMatchObject({ code: 'REFERRAL_NOT_FOUND' });
    });
  });
});
