/**
 * The NCALayer service driven from Chromium by the real `ncalayer-js-client` (the npm package
 * portals use), as a portal page would: a page on https://portal.test (served by Playwright's
 * router), the service's certificate accepted by its key hash, the user's answers scripted.
 * Every XML result is verified by verifyXml, `joldama verify` and xmlsec1; every CMS by
 * `openssl cms -verify` against the demo CA.
 *
 * A vitest file driving playwright-core rather than a Playwright e2e spec: the service runs in this
 * process (the scripted user, the results checked beside it) and needs neither the renderer build
 * nor the demo app the e2e stage starts.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, createHash, verify as verifyRaw } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as joldama } from '../../../cli/main.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { startService, type Service } from './fixtures.ts';

const run = promisify(execFile);
const CLIENT_SCRIPT = createRequire(import.meta.url).resolve('ncalayer-js-client/ncalayer-client.js');
const PORTAL = 'https://portal.test';
const XML = '<request xmlns="urn:portal"><child iin="150101500013">Әлия</child><kindergarten>№ 145</kindergarten></request>';
const DATA = Buffer.from('Жолдама: арнайы балабақша\n');

let service: Service;
let browser: Browser;
let page: Page;
let dir: string;
let rootPem: string;
let caPem: string;

/** Runs `code` in the page with `client` (connected) and `C` (the NCALayerClient class) in scope. */
async function inPage<T>(code: string, arg?: unknown): Promise<T> {
  return page.evaluate(
    async ([source, a]) => {
      const w = window as unknown as { client: unknown; NCALayerClient: unknown };
      return new Function('client', 'C', 'arg', `return (async () => { ${source} })();`)(w.client, w.NCALayerClient, a);
    },
    [code, arg] as const,
  ) as Promise<T>;
}

/** The error a client call rejects with, as text and its cancel flag. */
async function rejection(code: string, arg?: unknown): Promise<{ message: string; canceledByUser: boolean }> {
  return inPage(`try { await (async () => { ${code} })(); return { message: 'resolved', canceledByUser: false }; } catch (e) { return { message: String(e.message), canceledByUser: !!e.canceledByUser }; }`, arg);
}

async function file(name: string, data: string | Uint8Array): Promise<string> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await writeFile(path, data);
  return path;
}

/** verifyXml, `joldama verify` (its entry point, in process) and xmlsec1 all accept the signature. */
async function expectXmlVerifies(xml: string, original: string): Promise<void> {
  expect(xml.startsWith(original.slice(0, -'</request>'.length))).toBe(true);
  const report = await verifyXml(xml, { trust: service.trust, revocation: false, purpose: 'SIGN' });
  expect(report.indication, report.errors.join('; ')).toBe('TOTAL_PASSED');
  const path = await file('signed.xml', xml);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await joldama(['verify', path, '--trust', rootPem, '--trust', caPem, '--no-revocation'])).toBe(0);
  } finally {
    write.mockRestore();
  }
  const { stderr } = await run('xmlsec1', ['--verify', '--trusted-pem', rootPem, '--untrusted-pem', caPem, '--enabled-reference-uris', 'empty', path]);
  expect(stderr).toMatch(/^OK$/m);
}

/** `openssl cms -verify` against the demo CA; the document given for a detached signature. */
async function expectCmsVerifies(cms: string, document: Buffer, detached: boolean): Promise<void> {
  const pem = cms.startsWith('-----BEGIN CMS-----') ? cms : `-----BEGIN CMS-----\n${cms}\n-----END CMS-----\n`;
  const out = join(dir, `${Math.random().toString(36).slice(2)}-content`);
  const args = ['cms', '-verify', '-inform', 'PEM', '-in', await file('sig.pem', pem), '-CAfile', await file('ca.pem', `${service.pki.root}${service.pki.intermediate}`), '-binary', '-out', out];
  if (detached) args.push('-content', await file('doc.bin', document));
  const { stderr } = await run('openssl', args);
  expect(stderr).toMatch(/Verification successful/);
  expect((await readFile(out)).equals(document)).toBe(true);
}

beforeAll(async () => {
  // The page's one client sends every test's messages over one socket: at the default rate limit
  // (20 at once, 5 a second) a quick run was refused RATE_LIMITED midway. The limit has its own test (server.test.ts).
  service = await startService({ limits: { burst: 10_000 } });
  dir = await mkdtemp(join(tmpdir(), 'joldama-ncalayer-browser-'));
  rootPem = await file('root.pem', service.pki.root.toString());
  caPem = await file('intermediate.pem', service.pki.intermediate.toString());
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--ignore-certificate-errors-spki-list=${service.spkiHash}`],
  });
  const context = await browser.newContext();
  // Chromium asks before a public page reaches 127.0.0.1 (Local Network Access); the user allowed it.
  await context.grantPermissions(['local-network-access'], { origin: PORTAL });
  page = await context.newPage();
  await page.route(`${PORTAL}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Portal</title>' }));
  await page.goto(`${PORTAL}/`);
  await page.addScriptTag({ path: CLIENT_SCRIPT });
  const version = await page.evaluate(async (url) => {
    const w = window as unknown as { client: { connect(): Promise<string> }; NCALayerClient: new (url: string, kmd: boolean) => { connect(): Promise<string> } };
    w.client = new w.NCALayerClient(url, false);
    return w.client.connect();
  }, service.url);
  expect(version).toBe('1.2');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('kz.gov.pki.knca.basics sign, through ncalayer-js-client', () => {
  it('xml: one document comes back signed in a list, verified three ways; the dialog saw it readable', async () => {
    const signed = await inPage<string[]>(`return client.basicsSignXML(C.basicsStoragePKCS12, arg, C.basicsXMLParams, C.basicsSignerSignPerson, 'kk')`, XML);
    expect(signed).toHaveLength(1);
    await expectXmlVerifies(signed[0]!, XML);
    const request = service.user.requests.at(-1)!;
    expect(request).toMatchObject({ origin: PORTAL, originStanding: 'unknown', action: 'sign', format: 'xml', locale: 'kk' });
    expect(request.key).toMatchObject({ purpose: 'SIGN', extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1'], storages: ['PKCS12'] });
    expect(request.documents).toEqual([
      {
        kind: 'xml',
        bytes: Buffer.byteLength(XML),
        sha256: createHash('sha256').update(XML).digest('hex').toUpperCase(),
        lines: [
          { path: 'request/child/@iin', text: '150101500013' },
          { path: 'request/child', text: 'Әлия' },
          { path: 'request/kindergarten', text: '№ 145' },
        ],
        complete: true,
      },
    ]);
  });

  it('xml: several documents in one request, one dialog', async () => {
    const before = service.user.requests.length;
    const signed = await inPage<string[]>(`return client.basicsSignXML(null, [arg, arg], {}, C.basicsSignerSignAny)`, XML);
    expect(signed).toHaveLength(2);
    for (const xml of signed) await expectXmlVerifies(xml, XML);
    expect(service.user.requests.length - before).toBe(1);
  });

  it('cms attached: PEM from base64 data, OpenSSL gives the document back', async () => {
    const cms = await inPage<string>(`return client.basicsSignCMS(null, arg, C.basicsCMSParamsAttached, C.basicsSignerSignAny)`, DATA.toString('base64'));
    expect(cms).toMatch(/^-----BEGIN CMS-----\n/);
    await expectCmsVerifies(cms, DATA, false);
    expect(service.user.requests.at(-1)).toMatchObject({ format: 'cms', attached: true, timestampRequested: true });
    expect(service.user.requests.at(-1)!.documents).toEqual([{ kind: 'binary', bytes: DATA.length, sha256: createHash('sha256').update(DATA).digest('hex').toUpperCase() }]);
  });

  it('cms detached, and detached from a hash the page computed', async () => {
    const detached = await inPage<string>(`return client.basicsSignCMS(null, arg, C.basicsCMSParamsDetachedNoTSP, C.basicsSignerSignAny)`, DATA.toString('base64'));
    await expectCmsVerifies(detached, DATA, true);
    const hash = createHash('sha256').update(DATA).digest();
    const fromHash = await inPage<string>(`return client.basicsSignCMS(null, arg, C.basicsCMSParamsDetachedHash, C.basicsSignerSignAny)`, hash.toString('base64'));
    await expectCmsVerifies(fromHash, DATA, true);
    expect(service.user.requests.at(-1)!.documents).toEqual([{ kind: 'hash', sha256: hash.toString('hex').toUpperCase() }]);
  });

  it('raw: the bare signature and, with outputCert, the signer’s certificate', async () => {
    const result = await inPage<{ signatures: string[]; certificate: string }>(
      `return client.basicsSign(null, 'raw', arg, { decode: true, outputCert: true }, C.basicsSignerSignAny, 'ru')`,
      DATA.toString('base64'),
    );
    const certificate = new X509Certificate(result.certificate);
    expect(certificate.fingerprint256).toBe(service.user.defaultSigner.certificate().fingerprint256);
    expect(verifyRaw('sha256', DATA, certificate.publicKey, Buffer.from(result.signatures[0]!, 'base64'))).toBe(true);
  });

  it('a key the site does not accept is refused after the dialog, with a reason', async () => {
    const error = await rejection(`await client.basicsSignXML(null, arg, {}, { extKeyUsageOids: [], iin: '900702304562' })`, XML);
    expect(error.message).toMatch(/^KEY_NOT_ACCEPTED: .*IIN/);
  });
});

describe('kz.gov.pki.knca.commonUtils, through ncalayer-js-client', () => {
  it('getActiveTokens: the hardware tokens attached (none here)', async () => {
    expect(await inPage(`return client.getActiveTokens()`)).toEqual([]);
    service.user.tokens = ['AKKaztokenStore'];
    expect(await inPage(`return client.getActiveTokens()`)).toEqual(['AKKaztokenStore']);
    service.user.tokens = [];
  });

  it('getKeyInfo: the chosen certificate in NCALayer’s fields', async () => {
    const info = await inPage<Record<string, string>>(`return client.getKeyInfo('PKCS12')`);
    const certificate = service.user.defaultSigner.certificate();
    expect(info.pem?.trim()).toBe(certificate.toString().trim());
    expect(info.subjectDn).toMatch(/^CN=[^,]+,SURNAME=[^,]+,SERIALNUMBER=IIN\d{12},C=KZ/);
    expect(info.serialNumber).toBe(certificate.serialNumber.toLowerCase());
    expect(Number(info.certNotAfter)).toBe(new Date(certificate.validTo).getTime());
    expect(info).toMatchObject({ algorithm: 'RSA', issuerCn: expect.stringContaining('DEMO') });
    expect(service.user.requests.at(-1)).toMatchObject({ action: 'keyInfo', documents: [] });
  });

  it('signXml and signXmls', async () => {
    const one = await inPage<string>(`return client.signXml('PKCS12', arg)`, XML);
    await expectXmlVerifies(one, XML);
    expect(service.user.requests.at(-1)!.key).toMatchObject({ purpose: 'SIGN', storages: ['PKCS12'] });
    const many = await inPage<string[]>(`return client.signXmls('PKCS12', [arg, arg])`, XML);
    expect(many).toHaveLength(2);
    for (const xml of many) await expectXmlVerifies(xml, XML);
  });

  it('createCAdESFromBase64 (detached and attached) and createCAdESFromBase64Hash: base64 CMS', async () => {
    const detached = await inPage<string>(`return client.createCAdESFromBase64('PKCS12', arg)`, DATA.toString('base64'));
    await expectCmsVerifies(detached, DATA, true);
    const attached = await inPage<string>(`return client.createCAdESFromBase64('PKCS12', arg, 'SIGNATURE', true)`, DATA.toString('base64'));
    await expectCmsVerifies(attached, DATA, false);
    const hash = createHash('sha256').update(DATA).digest('base64');
    const fromHash = await inPage<string>(`return client.createCAdESFromBase64Hash('PKCS12', arg)`, hash);
    await expectCmsVerifies(fromHash, DATA, true);
  });

  it('the real joldama binary verifies a signed document too', async () => {
    const signed = await inPage<string>(`return client.signXml('PKCS12', arg)`, XML);
    const { stdout } = await run('node', ['bin/joldama.js', 'verify', await file('signed.xml', signed), '--trust', rootPem, '--trust', caPem, '--no-revocation']);
    expect(stdout).toMatch(/TOTAL_PASSED|VALID/);
  }, 60_000);
});

describe('the user cancels or refuses', () => {
  it('cancel: basics says "cancelled by user", commonUtils "action.canceled"', async () => {
    service.user.answerNext('cancelled');
    expect(await rejection(`await client.basicsSignXML(null, arg, {}, C.basicsSignerAny)`, XML)).toEqual({ message: 'cancelled by user', canceledByUser: true });
    service.user.answerNext('cancelled');
    expect((await rejection(`await client.signXml('PKCS12', arg)`, XML)).message).toBe('500: action.canceled');
  });

  it('refuse: the next requests are refused without a dialog until the refusal lapses', async () => {
    service.user.answerNext('refused');
    expect(await rejection(`await client.basicsSignXML(null, arg, {}, C.basicsSignerAny)`, XML)).toEqual({ message: 'cancelled by user', canceledByUser: true });
    const before = service.user.requests.length;
    expect((await rejection(`await client.basicsSignXML(null, arg, {}, C.basicsSignerAny)`, XML)).message).toMatch(/^ORIGIN_REFUSED: .*10 min/);
    expect((await rejection(`await client.signXml('PKCS12', arg)`, XML)).message).toMatch(/^500: ORIGIN_REFUSED: /);
    expect(service.user.requests.length).toBe(before);
    service.advanceClock(10 * 60_000 + 1);
    await inPage(`return client.signXml('PKCS12', arg)`, XML);
    expect(service.user.requests.length).toBe(before + 1);
  });

  it('remember: the next dialog says the site is known', async () => {
    service.user.answerNext({ signer: service.user.defaultSigner, remember: true });
    await inPage(`return client.signXml('PKCS12', arg)`, XML);
    expect(service.user.requests.at(-1)!.originStanding).toBe('unknown');
    await inPage(`return client.signXml('PKCS12', arg)`, XML);
    expect(service.user.requests.at(-1)!.originStanding).toBe('remembered');
    expect(service.policy.rememberedOrigins()).toEqual([PORTAL]);
    service.policy.forget(PORTAL);
  });
});

describe('errors a page gets back', () => {
  it('invalid parameters name the field, before any dialog', async () => {
    const before = service.user.requests.length;
    expect((await rejection(`await client.basicsSignCMS(null, 'MTEK', 555, C.basicsSignerAny)`)).message).toMatch(/^INVALID_PARAMETERS: .*signingParams/);
    expect((await rejection(`await client.createCAdESFromBase64Hash('PKCS12', 'MTEK')`)).message).toMatch(/^500: INVALID_PARAMETERS: .*SHA-256/);
    expect((await rejection(`await client.basicsSignCMS(null, 'not base64!', C.basicsCMSParamsAttached, C.basicsSignerAny)`)).message).toMatch(/base64/);
    expect((await rejection(`await client.signXml('PKCS12', '<this>is not a valid XML')`)).message).toMatch(/^500: XML_MALFORMED: /);
    expect((await rejection(`await client.signXml('PKCS12', arg, 'SIGNATURE', '/request/child', '')`, XML)).message).toMatch(/^500: UNSUPPORTED: /);
    expect(service.user.requests.length).toBe(before);
  });

  it('an unknown module or method, and a message that is not a request, over the page’s own socket', async () => {
    const replies = await page.evaluate(async (url) => {
      const socket = new WebSocket(url);
      const messages: string[] = [];
      await new Promise<void>((resolve) => {
        socket.onmessage = (m) => {
          messages.push(String(m.data));
          if (messages.length === 5) resolve();
        };
        socket.onopen = () => {
          socket.send('{"module":"kz.gov.pki.other","method":"x"}');
          socket.send('{"module":"kz.gov.pki.knca.basics","method":"verify","uuid":"7"}');
          socket.send('not json');
          socket.send('--heartbeat--');
        };
      });
      socket.close();
      return messages;
    }, service.url);
    const [greeting, module, method, json, heartbeat] = replies.map((r) => (r === '--heartbeat--' ? r : JSON.parse(r)));
    expect(greeting).toEqual({ result: { version: '1.2' } });
    expect(module).toMatchObject({ status: false, code: 'MODULE_NOT_FOUND' });
    expect(method).toMatchObject({ status: false, code: 'METHOD_NOT_FOUND', uuid: '7' });
    expect(json).toMatchObject({ status: false, code: 'INVALID_JSON' });
    expect(heartbeat).toBe('--heartbeat--');
    expect(service.internalErrors).toEqual([]);
  });
});
