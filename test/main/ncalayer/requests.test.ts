/**
 * Requests as NCALayer pages send them, turned into jobs (or refused, naming the field); the summary
 * the dialog shows; the chosen key held against what the site asked for.
 */
import type { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import { checkChosenKey } from '../../../main/ncalayer/key-check.ts';
import { NcaLayerFailure } from '../../../main/ncalayer/replies.ts';
import { jobOf, type Envelope, type KeyRequirements, type SignJob } from '../../../main/ncalayer/requests.ts';
import { MAX_LINES, summarizeXml } from '../../../main/ncalayer/summary.ts';
import { getDemoPki, type DemoKeyFilter, type DemoPki } from '../../helpers/demo-pki.ts';

const basics = (args: unknown): Envelope => ({ module: 'kz.gov.pki.knca.basics', method: 'sign', args });
const common = (method: string, args?: unknown): Envelope => ({ module: 'kz.gov.pki.knca.commonUtils', method, args });
const signArgs = (overrides: Record<string, unknown> = {}) => ({
  format: 'cms',
  data: 'MTEK',
  signingParams: {},
  signerParams: { extKeyUsageOids: [] },
  ...overrides,
});

function failureOf(f: () => unknown): NcaLayerFailure {
  try {
    f();
  } catch (e) {
    if (e instanceof NcaLayerFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('jobOf', () => {
  it('reads NCALayer sample-page flags given as "true"/"false" strings, and defaults like NCALayer', () => {
    const job = jobOf(basics(signArgs({ signingParams: { decode: 'true', encapsulate: 'false' } }))) as SignJob & { format: 'cms' };
    expect(job).toMatchObject({ format: 'cms', attached: false, documents: [{ bytes: Buffer.from('11\n') }] });
    // decode false by default: the text itself is signed; encapsulate true by default.
    const plain = jobOf(basics(signArgs())) as SignJob & { format: 'cms' };
    expect(plain).toMatchObject({ attached: true, documents: [{ bytes: Buffer.from('MTEK') }], locale: 'kk', timestampRequested: false });
  });

  it('takes blank signerParams fields as absent, and refuses malformed ones by name', () => {
    const job = jobOf(basics(signArgs({ signerParams: { extKeyUsageOids: [], iin: '', bin: ' ', serialNumber: '00ab' } }))) as SignJob;
    expect(job.key.filter).toEqual({ extKeyUsageOids: [], serialNumber: 'AB' });
    const bad = failureOf(() => jobOf(basics(signArgs({ signerParams: { extKeyUsageOids: ['x'], iin: '12345' } }))));
    expect(bad).toMatchObject({ code: 'INVALID_PARAMETERS', details: 'signerParams.extKeyUsageOids.0, signerParams.iin' });
    expect(bad.message).not.toContain('12345');
  });

  it('is strict about base64 and about a hash being a SHA-256', () => {
    expect(failureOf(() => jobOf(basics(signArgs({ signingParams: { decode: true }, data: 'MTE' }))))).toMatchObject({ code: 'INVALID_PARAMETERS' });
    expect(failureOf(() => jobOf(basics(signArgs({ signingParams: { decode: true }, data: 'MT=K' }))))).toMatchObject({ code: 'INVALID_PARAMETERS' });
    const wrapped = jobOf(basics(signArgs({ signingParams: { decode: true }, data: 'MTEK\r\nMTEK' }))) as SignJob & { format: 'cms' };
    expect(wrapped.documents).toEqual([{ bytes: Buffer.from('11\n11\n') }]);
    expect(failureOf(() => jobOf(basics(signArgs({ signingParams: { decode: true, digested: true } }))))).toMatchObject({ message: expect.stringContaining('SHA-256') });
    // A signature made from a hash cannot carry the document.
    const digest = Buffer.alloc(32, 1).toString('base64');
    expect(jobOf(basics(signArgs({ data: digest, signingParams: { decode: true, digested: true } })))).toMatchObject({ attached: false, documents: [{ sha256: Buffer.alloc(32, 1) }] });
  });

  it('reads the purpose from the usages or the key type, the locale, the storages and a requested timestamp', () => {
    const job = jobOf(basics(signArgs({ allowedStorages: ['PKCS12'], locale: 'ru', signingParams: { tsaProfile: {} }, signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.2'] } }))) as SignJob;
    expect(job).toMatchObject({ locale: 'ru', timestampRequested: true, key: { filter: { purpose: 'AUTH', storages: ['PKCS12'] } } });
    expect((jobOf(common('signXml', ['AKKaztokenStore', 'AUTHENTICATION', '<a/>'])) as SignJob).key.filter).toEqual({ purpose: 'AUTH', extKeyUsageOids: [], storages: ['AKKaztokenStore'] });
    expect((jobOf(common('signXml', ['PKCS12', 'anything', '<a/>'])) as SignJob).key.filter).toEqual({ extKeyUsageOids: [], storages: ['PKCS12'] });
  });

  it('refuses a chain that is not certificates, an unknown module or method, and argument types NCALayer refuses', () => {
    expect(failureOf(() => jobOf(basics(signArgs({ signerParams: { extKeyUsageOids: [], chain: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] } }))))).toMatchObject({
      code: 'INVALID_PARAMETERS',
      details: 'signerParams.chain',
    });
    expect(failureOf(() => jobOf({ module: 'kz.gov.pki.knca.applet.Applet', method: 'signXml' }))).toMatchObject({ code: 'MODULE_NOT_FOUND' });
    expect(failureOf(() => jobOf(common('toString')))).toMatchObject({ code: 'METHOD_NOT_FOUND' });
    expect(failureOf(() => jobOf(common('getKeyInfo', [null])))).toMatchObject({ code: 'INVALID_PARAMETERS', details: '0' });
    expect(failureOf(() => jobOf(common('signXml', ['PKCS12', 555, '123'])))).toMatchObject({ code: 'INVALID_PARAMETERS', details: '1' });
    expect(jobOf(common('getActiveTokens'))).toEqual({ kind: 'activeTokens', style: 'common' });
  });

  it('shapes answers as NCALayer: basics xml a list, cms PEM (a list for a list), commonUtils base64', () => {
    const xml = jobOf(basics(signArgs({ format: 'xml', data: '<a/>' }))) as SignJob & { format: 'xml' };
    expect(xml.answer(['<a>s</a>'])).toEqual(['<a>s</a>']);
    const one = jobOf(basics(signArgs())) as SignJob & { format: 'cms' };
    expect(one.answer([Buffer.from([1, 2])])).toBe('-----BEGIN CMS-----\nAQI=\n-----END CMS-----\n');
    const many = jobOf(basics(signArgs({ data: ['MTEK', 'MTEK'] }))) as SignJob & { format: 'cms' };
    expect(many.answer([Buffer.from([1]), Buffer.from([2])])).toHaveLength(2);
    const cades = jobOf(common('createCAdESFromBase64', ['PKCS12', 'SIGNATURE', 'MTEK', true])) as SignJob & { format: 'cms' };
    expect(cades).toMatchObject({ attached: true });
    expect(cades.answer([Buffer.from([1, 2])])).toBe('AQI=');
  });
});

describe('summarizeXml', () => {
  it('refuses a DTD before any dialog', () => {
    expect(failureOf(() => summarizeXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'))).toMatchObject({ code: 'XML_FORBIDDEN_CONSTRUCT' });
  });

  it('shows text and attributes by local-name paths, in document order, without namespace declarations', () => {
    const xml = '<r xmlns="urn:x" xmlns:p="urn:p" id="7"><p:child p:code="A"> some\n text </p:child><empty/><c><![CDATA[z]]></c></r>';
    expect(summarizeXml(xml)).toMatchObject({
      kind: 'xml',
      complete: true,
      lines: [
        { path: 'r/@id', text: '7' },
        { path: 'r/child/@code', text: 'A' },
        { path: 'r/child', text: 'some text' },
        { path: 'r/c', text: 'z' },
      ],
    });
  });

  it('shows a long document up to its line limit, and a large one by size and hash only', () => {
    const long = `<list>${'<item>x</item>'.repeat(MAX_LINES + 10)}</list>`;
    expect(summarizeXml(long)).toMatchObject({ complete: false, lines: { length: MAX_LINES } });
    const large = `<list><item>${'x'.repeat(1024 * 1024)}</item></list>`;
    expect(summarizeXml(large)).toMatchObject({ kind: 'xml', complete: false, lines: [] });
  });
});

describe('checkChosenKey', () => {
  let pki: DemoPki;
  const certificate = async (filter: DemoKeyFilter): Promise<X509Certificate> => (await openKeyStore(pki.keyPath(filter), pki.password))[0]!.certificate;
  const now = new Date();
  const accepts = (cert: X509Certificate, key: KeyRequirements): boolean => {
    try {
      checkChosenKey(cert, key, now);
      return true;
    } catch (e) {
      if (e instanceof NcaLayerFailure && e.code === 'KEY_NOT_ACCEPTED') return false;
      throw e;
    }
  };
  beforeAll(async () => {
    pki = await getDemoPki();
  });

  it('holds the key to the purpose, the usages (NCA roles), IIN, BIN, serial number and issuers asked for', async () => {
    const person = await certificate({ status: 'valid', purpose: 'SIGN', role: 'individual' });
    const head = await certificate({ status: 'valid', purpose: 'SIGN', role: 'head' });
    const auth = await certificate({ status: 'valid', purpose: 'AUTH', role: 'individual' });
    const headInfo = pki.key({ status: 'valid', purpose: 'SIGN', role: 'head' });
    const filter = (f: Partial<KeyRequirements['filter']>): KeyRequirements => ({ filter: { extKeyUsageOids: [], ...f } });
    expect(accepts(person, filter({ purpose: 'SIGN' }))).toBe(true);
    expect(accepts(auth, filter({ purpose: 'SIGN' }))).toBe(false);
    expect(accepts(head, filter({ extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2.1'] }))).toBe(true);
    expect(accepts(person, filter({ extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.2.1'] }))).toBe(false);
    expect(accepts(head, filter({ iin: headInfo.iin }))).toBe(true);
    expect(accepts(person, filter({ iin: headInfo.iin }))).toBe(false);
    expect(accepts(head, filter({ bin: '050540000145' }))).toBe(true);
    expect(accepts(person, filter({ bin: '050540000145' }))).toBe(false);
    expect(accepts(person, filter({ serialNumber: person.serialNumber.replace(/^0+/, '') }))).toBe(true);
    expect(accepts(person, filter({ serialNumber: head.serialNumber.replace(/^0+/, '') }))).toBe(false);
    expect(accepts(person, { filter: { extKeyUsageOids: [] }, chain: [pki.intermediate] })).toBe(true);
    expect(accepts(person, { filter: { extKeyUsageOids: [] }, chain: [pki.root] })).toBe(false);
  });

  it('refuses an expired certificate whatever the site allows', async () => {
    const expired = await certificate({ status: 'expired', purpose: 'SIGN' });
    expect(accepts(expired, { filter: { extKeyUsageOids: [] } })).toBe(false);
  });
});
