import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import {
  findKeyFiles,
  keyFileNameHint,
  listKeys,
  listKeysWithProblems,
} from '../../../signing/keystore/find.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';

describe('findKeyFiles and listKeys', () => {
  let pki: DemoPki;
  let work: string;
  beforeAll(async () => {
    pki = await getDemoPki();
    work = mkdtempSync(join(tmpdir(), 'joldama-find-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('recognises NCA file names as hints', () => {
    const hex = 'ab'.repeat(20);
    expect(keyFileNameHint(`/k/AUTH_RSA256_${hex}.p12`)).toEqual({ algorithm: 'RSA', purpose: 'AUTH' });
    expect(keyFileNameHint(`RSA256_${hex}.p12`)).toEqual({ algorithm: 'RSA', purpose: 'SIGN' });
    expect(keyFileNameHint(`GOSTKNCA_${hex}.p12`)).toEqual({ algorithm: 'GOST', purpose: 'SIGN' });
    expect(keyFileNameHint(`AUTH_GOST512_${hex}.p12`)).toEqual({ algorithm: 'GOST', purpose: 'AUTH' });
    expect(keyFileNameHint('my-key.pfx')).toBeUndefined();
  });

  it('finds .p12/.pfx files recursively, NCA RSA AUTH keys first, without following symlinks', async () => {
    const root = join(work, 'tree');
    const deep = join(root, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    const auth = pki.key({ slug: 'abilov-dauren', purpose: 'AUTH' });
    const sign = pki.key({ slug: 'abilov-dauren', purpose: 'SIGN' });
    copyFileSync(sign.path, join(root, basename(sign.path)));
    copyFileSync(auth.path, join(deep, basename(auth.path)));
    writeFileSync(join(root, 'other.PFX'), 'x');
    writeFileSync(join(root, 'notes.txt'), 'x');
    mkdirSync(join(root, 'a', 'b', 'c', 'd', 'e'), { recursive: true });
    writeFileSync(join(root, 'a', 'b', 'c', 'd', 'e', 'too-deep.p12'), 'x');
    symlinkSync(root, join(root, 'loop'));
    const found = await findKeyFiles(root);
    expect(found).toEqual([
      join(deep, basename(auth.path)),
      join(root, basename(sign.path)),
      join(root, 'other.PFX'),
    ]);
    expect(await findKeyFiles(join(root, 'notes.txt'))).toEqual([join(root, 'notes.txt')]);
  });

  it('lists keys with validity at a given time and no key material', async () => {
    const at = new Date(pki.index.generatedAt);
    const keys = await listKeys(join(pki.dir, 'keys', 'tolegenova-madina'), pki.password, at);
    expect(keys.map((k) => k.purposes[0])).toEqual(['AUTH', 'SIGN']);
    expect(keys.every((k) => k.status === 'expired' && k.iin === '920430402469')).toBe(true);
    expect(JSON.stringify(keys)).not.toMatch(/PRIVATE|privateKey/);
    const valid = await listKeys(pki.keyPath({ slug: 'abilov-dauren', purpose: 'SIGN' }), pki.password, at);
    expect(valid).toHaveLength(1);
    expect(valid[0]).toMatchObject({ status: 'valid', index: 0, commonName: 'ӘБІЛОВ ДӘУРЕН' });
  });

  it('skips files it cannot open when others work, reporting them as problems', async () => {
    const mixed = join(work, 'mixed');
    mkdirSync(mixed);
    copyFileSync(pki.keyPath({ slug: 'nurlanova-gulnar', purpose: 'AUTH' }), join(mixed, 'good.p12'));
    writeFileSync(join(mixed, 'broken.p12'), 'garbage');
    const { keys, problems } = await listKeysWithProblems(mixed, pki.password);
    expect(keys.map((k) => k.iin)).toEqual(['951120407899']);
    expect(problems).toEqual([
      expect.objectContaining({ file: join(mixed, 'broken.p12'), code: 'NOT_PKCS12' }),
    ]);
  });

  it('throws the telling error when nothing opens: wrong password first, then missing keys', async () => {
    const mixed = join(work, 'mixed');
    await expect(listKeys(mixed, 'nope')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    const empty = join(work, 'empty');
    mkdirSync(empty);
    await expect(listKeys(empty, 'x')).rejects.toMatchObject({ code: 'NO_KEYS_FOUND' });
    await expect(listKeys(join(work, 'absent'), 'x')).rejects.toBeInstanceOf(SigningError);
    await expect(listKeys(join(work, 'absent'), 'x')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
