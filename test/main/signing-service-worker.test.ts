/**
 * Main's SigningService with the real backend (loadKeyBackend) opens key files in the key store
 * worker: listing keys and signing (login, referral) keep main's event loop ticking while the
 * heaviest .p12 we accept is opened, and the typed errors and local checks are those of before.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyBackend, SigningService } from '../../main/signing-service.ts';
import { closeKeyStoreWorker, openKeyStore } from '../../signing/index.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';
import { maxIterationsCopy, worstTimerLag } from '../helpers/event-loop.ts';

let pki: DemoPki;
let work: string;
/** The demo AUTH key of a valid certificate, re-encrypted with the most iterations we accept. */
let heavy: string;
let service: SigningService;

beforeAll(async () => {
  pki = await getDemoPki();
  work = mkdtempSync(join(tmpdir(), 'joldama-signing-service-'));
  heavy = maxIterationsCopy(pki.keyPath({ purpose: 'AUTH', status: 'valid' }), pki.password, work);
  service = new SigningService(await loadKeyBackend());
});
afterAll(async () => {
  await closeKeyStoreWorker();
  rmSync(work, { recursive: true, force: true });
});

const login = (sign: (xml: string) => Promise<string>) => sign('<login nonce="n"/>');

describe('the signing service opens key files off main’s event loop', () => {
  it('lists, signs and refuses as before', async () => {
    const [listed] = await service.listKeys(heavy, pki.password);
    expect(listed).toMatchObject({ ref: { kind: 'file', path: heavy, index: 0 }, purposes: expect.arrayContaining(['AUTH']), status: 'valid' });
    expect(service.listedCertificate(listed!.fingerprintSha256)?.certificate.fingerprint256.replaceAll(':', '')).toBe(
      listed!.fingerprintSha256,
    );
    const signed = await service.withKey({ kind: 'file', path: heavy, index: 0 }, pki.password, { purpose: 'AUTH' }, login);
    expect(signed).toContain('<ds:SignatureValue>');

    await expect(service.listKeys(heavy, 'wrong')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(service.withKey({ kind: 'file', path: heavy, index: 0 }, 'wrong', { purpose: 'AUTH' }, login)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(service.withKey({ kind: 'file', path: heavy, index: 1 }, pki.password, { purpose: 'AUTH' }, login)).rejects.toMatchObject({ code: 'KEY_INDEX_OUT_OF_RANGE' });
    // One byte changed in the middle of the file: with the right password, damaged, not a wrong password.
    const damaged = join(work, 'damaged.p12');
    const bytes = readFileSync(heavy);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(damaged, bytes);
    await expect(service.withKey({ kind: 'file', path: damaged, index: 0 }, pki.password, { purpose: 'AUTH' }, login)).rejects.toMatchObject({ code: 'KEYSTORE_DAMAGED' });
    const signOnly = pki.keyPath({ purpose: 'SIGN', status: 'valid' });
    await expect(service.withKey({ kind: 'file', path: signOnly, index: 0 }, pki.password, { purpose: 'AUTH' }, login)).rejects.toMatchObject({ code: 'WRONG_PURPOSE' });
    const expired = pki.keyPath({ purpose: 'AUTH', status: 'expired' });
    await expect(service.withKey({ kind: 'file', path: expired, index: 0 }, pki.password, { purpose: 'AUTH' }, login)).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    await expect(service.listKeys('relative/key.p12', pki.password)).rejects.toMatchObject({ code: 'KEY_PATH_REFUSED' });
  });

  // A ratio in one run (see worstTimerLag); retries absorb a rare unlucky spike.
  it(
    'keeps the timer ticking while the heaviest allowed .p12 is listed and signed with (lag a fifth of opening it on this thread, or less)',
    { retry: 2 },
    async () => {
      // The file is heavy enough to matter: opened on this thread, the same timer stalls.
      const inThread = await worstTimerLag(() => openKeyStore(heavy, pki.password));
      expect(inThread).toBeGreaterThan(50);
      const listing = await worstTimerLag(() => service.listKeys(heavy, pki.password));
      expect(listing).toBeLessThan(inThread / 5);
      const signing = await worstTimerLag(() => service.withKey({ kind: 'file', path: heavy, index: 0 }, pki.password, { purpose: 'AUTH' }, login));
      expect(signing).toBeLessThan(inThread / 5);
    },
  );
});
