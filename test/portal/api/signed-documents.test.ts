import { describe, expect, it } from 'vitest';
import {
  buildLoginXml,
  buildReferralRequestXml,
  parseLoginXml,
  parseReferralRequestXml,
  SignedDocumentError,
} from '../../../protocol/signed-documents.ts';

const nonce = Buffer.alloc(32, 7).toString('base64url');
const referral = {
  applicationNumber: 'KDDO.2021.802010.1',
  applicationId: '42',
  offerId: '7',
  kindergartenId: '3',
  kindergartenName: '«Балапан» арнайы балабақшасы & <Co>',
  kindergartenAddress: 'Алматы қ., Абай даңғылы 10',
  language: 'kk',
  childIin: '200513600017',
  applicantIin: '850101300012',
  requestedAt: '2026-11-24T01:00:00.000Z',
};

describe('signed documents', () => {
  it('builds and parses the login document', () => {
    const xml = buildLoginXml({ nonce, origin: 'https://portal.example.kz', timestamp: '2026-11-24T01:00:00Z' });
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><login xmlns="urn:joldama:auth:1"><nonce>${nonce}</nonce>` +
        '<origin>https://portal.example.kz</origin><timestamp>2026-11-24T01:00:00Z</timestamp></login>',
    );
    expect(parseLoginXml(xml)).toEqual({ nonce, origin: 'https://portal.example.kz', timestamp: '2026-11-24T01:00:00Z' });
  });

  it('round-trips a referral request with characters that need escaping', () => {
    const xml = buildReferralRequestXml(referral);
    expect(xml).toContain('&amp; &lt;Co&gt;');
    expect(parseReferralRequestXml(xml)).toEqual(referral);
  });

  it('skips an enveloped signature element', () => {
    const xml = buildLoginXml({ nonce, origin: 'http://127.0.0.1:8740', timestamp: '2026-11-24T01:00:00Z' }).replace(
      '</login>',
      '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature></login>',
    );
    expect(parseLoginXml(xml).origin).toBe('http://127.0.0.1:8740');
  });

  it.each([
    ['wrong namespace', `<login xmlns="urn:other"><nonce>${nonce}</nonce></login>`],
    ['a DTD', `<!DOCTYPE login [<!ENTITY x "y">]><login xmlns="urn:joldama:auth:1"><nonce>&x;</nonce></login>`],
    [
      'a repeated element',
      `<login xmlns="urn:joldama:auth:1"><nonce>${nonce}</nonce><nonce>${nonce}</nonce><origin>http://a</origin><timestamp>2026-11-24T01:00:00Z</timestamp></login>`,
    ],
    [
      'an unknown element',
      `<login xmlns="urn:joldama:auth:1"><nonce>${nonce}</nonce><origin>http://a</origin><timestamp>2026-11-24T01:00:00Z</timestamp><x/></login>`,
    ],
    ['nested markup', `<login xmlns="urn:joldama:auth:1"><nonce><b>${nonce}</b></nonce></login>`],
    ['a short nonce', `<login xmlns="urn:joldama:auth:1"><nonce>abc</nonce><origin>http://a</origin><timestamp>2026-11-24T01:00:00Z</timestamp></login>`],
    ['malformed XML', `<login xmlns="urn:joldama:auth:1"><nonce>`],
    ['a processing instruction', `<login xmlns="urn:joldama:auth:1"><?x y?><nonce>${nonce}</nonce></login>`],
    // Counted before saxes resolves namespaces, which costs (attributes × namespace name length).
    [
      'an element with many attributes',
      `<login xmlns="urn:joldama:auth:1" xmlns:p="urn:${'p'.repeat(30_000)}"${Array.from({ length: 3000 }, (_, i) => ` p:a${i}=""`).join('')}><nonce>${nonce}</nonce></login>`,
    ],
  ])('refuses %s', (_name, xml) => {
    expect(() => parseLoginXml(xml)).toThrow(SignedDocumentError);
  });

  it('refuses a referral request with a bad IIN', () => {
    const xml = buildReferralRequestXml(referral).replace('850101300012', '85010130001');
    expect(() => parseReferralRequestXml(xml)).toThrow(/applicantIin/);
  });
});
