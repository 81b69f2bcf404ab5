/** fileKeySource: .p12 keys named by reference, the password asked when needed and wiped. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import { fileKeySource } from '../../../signing/keys/file-source.ts';
import type { AskSecret, FileKeyRef, SecretRequest } from '../../../signing/keys/key-source.ts';
import { closeKeyStoreWorker, openKeyStoreInWorker } from '../../../signing/keystore/in-worker.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { signXml } from '../../../signing/xml/sign.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';
import { referralXml } from '../xml/fixtures.ts';

let pki: DemoPki;
let folder: string;

beforeAll(async () => {
  pki = await getDemoPki();
  folder = mkdtempSync(join(tmpdir(), 'joldama-file-source-'));
  for (const filter of [
    { slug: 'abilov-dauren', purpose: 'AUTH' },
    { slug: 'abilov-dauren', purpose: 'SIGN' },
  ] as const) {
    const source = pki.keyPath(filter);
    const target = join(folder, 'abilov', source.split('/').pop()!);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
  // Started under the hook's longer timeout: from sources the worker first compiles its imports.
  await openKeyStoreInWorker(pki.keyPath(), Buffer.from(pki.password));
});
afterAll(async () => {
  await closeKeyStoreWorker();
  rmSync(folder, { recursive: true, force: true });
});

function answering(password: string): AskSecret & { requests: SecretRequest[]; given: Buffer[] } {
  const ask = Object.assign(
    async (request: SecretRequest) => {
      ask.requests.push(request);
      const secret = Buffer.from(password);
      ask.given.push(secret);
      return secret;
    },
    { requests: [] as SecretRequest[], given: [] as Buffer[] },
  );
  return ask;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SigningError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('fileKeySource', () => {
  for (const inWorker of [true, false]) {
    it(`lists a folder's keys with references, asking the password once and wiping it (${inWorker ? 'worker' : 'in thread'})`, async () => {
      const source = fileKeySource(folder, { inWorker });
      const ask = answering(pki.password);
      const { keys, problems } = await source.list(ask);
      expect(problems).toEqual([]);
      expect(ask.requests).toEqual([{ kind: 'password', path: folder }]);
      expect(ask.given.every((b) => b.every((byte) => byte === 0))).toBe(true);
      expect(keys.map((k) => k.purposes)).toEqual([['AUTH'], ['SIGN']]);
      expect(keys[1]).toMatchObject({
        status: 'valid',
        ref: { kind: 'file', index: 0, certificate: keys[1]?.fingerprintSha256 },
        storage: { kind: 'file' },
      });
    });
  }

  it('opens a listed key by reference and signs what verifyXml accepts; the password is wiped', async () => {
    const source = fileKeySource(folder);
    const { keys } = await source.list(answering(pki.password));
    const ask = answering(pki.password);
    const handle = await source.open(keys[1]!.ref as FileKeyRef, ask);
    expect(ask.given[0]?.every((byte) => byte === 0)).toBe(true);
    const report = await verifyXml(await signXml(referralXml(), handle), {
      trust: TrustStore.fromCertificates([pki.root], [pki.intermediate]),
      purpose: 'SIGN',
      revocation: false,
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    await handle.close();
  });

  it('a wrong password lists the files as problems and fails an open with WRONG_PASSWORD', async () => {
    const source = fileKeySource(folder);
    const { keys, problems } = await source.list(answering('wrong'));
    expect(keys).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['WRONG_PASSWORD', 'WRONG_PASSWORD']);
    const ref: FileKeyRef = { kind: 'file', path: problems[0]!.where, index: 0, certificate: 'x' };
    expect(await codeOf(source.open(ref, answering('wrong')))).toBe('WRONG_PASSWORD');
  });

  it('refuses a reference outside its folder, to another key, or past the container, before or without signing', async () => {
    const source = fileKeySource(join(folder, 'abilov'));
    const { keys } = await source.list(answering(pki.password));
    const ref = keys[0]!.ref as FileKeyRef;
    const ask = answering(pki.password);
    expect(await codeOf(source.open({ ...ref, path: pki.keyPath({ slug: 'omarova-zhanar' }) }, ask))).toBe(
      'KEY_NOT_FOUND',
    );
    expect(await codeOf(source.open({ ...ref, path: `${folder}/abilov-evil/x.p12` }, ask))).toBe(
      'KEY_NOT_FOUND',
    );
    expect(ask.requests).toEqual([]);
    expect(await codeOf(source.open({ ...ref, certificate: keys[1]!.fingerprintSha256 }, ask))).toBe(
      'KEY_NOT_FOUND',
    );
    expect(await codeOf(source.open({ ...ref, index: 1 }, ask))).toBe('KEY_INDEX_OUT_OF_RANGE');
  });
});
