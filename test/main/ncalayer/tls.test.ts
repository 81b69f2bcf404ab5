/** The service's certificate: made once for 127.0.0.1, kept while usable, renewed near its end. */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATE_FILE, KEY_FILE, ensureLocalCertificate } from '../../../main/ncalayer/tls.ts';

const DAY = 86_400_000;
let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'joldama-ncalayer-tls-')), 'data');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('ensureLocalCertificate', () => {
  it('makes a certificate for 127.0.0.1 and localhost only, a server certificate, key readable by the user only', async () => {
    const made = await ensureLocalCertificate(dir);
    expect(made.created).toBe(true);
    const certificate = new X509Certificate(await readFile(join(dir, CERTIFICATE_FILE)));
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkHost('egov.kz')).toBeUndefined();
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(certificate.fingerprint256).toBe(made.fingerprint256);
    expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(made.notAfter.getTime() - Date.now()).toBeGreaterThan(824 * DAY);
  });

  it('keeps the certificate on later runs, and renews it when fewer than 30 days remain', async () => {
    const first = await ensureLocalCertificate(dir);
    const again = await ensureLocalCertificate(dir, new Date(Date.now() + 700 * DAY));
    expect(again).toMatchObject({ created: false, fingerprint256: first.fingerprint256 });
    const renewed = await ensureLocalCertificate(dir, new Date(Date.now() + 800 * DAY));
    expect(renewed.created).toBe(true);
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
  });

  it('replaces a damaged certificate or a key that is not its own', async () => {
    await ensureLocalCertificate(dir);
    await writeFile(join(dir, CERTIFICATE_FILE), 'garbage');
    expect((await ensureLocalCertificate(dir)).created).toBe(true);
    const other = await ensureLocalCertificate(join(dir, 'other'));
    await writeFile(join(dir, KEY_FILE), other.key);
    expect((await ensureLocalCertificate(dir)).created).toBe(true);
  });
});
