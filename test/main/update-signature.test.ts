/**
 * The release key's signature on an update (main/update-signature.ts, docs/kiosk.md "Updates"): what
 * verifies, what does not, and how a .sig is fetched without reading more than a .sig's size.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  checkUpdateSignature,
  fetchSignature,
  MAX_SIGNATURE_BYTES,
  parseSignature,
  releasePublicKey,
  signatureUrl,
  signUpdateFile,
} from '../../main/update-signature.ts';

const release = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const bytes = (text: string) => new TextEncoder().encode(text);

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-sig-'));
  file = path.join(dir, 'Joldama-1.2.0.AppImage');
  await writeFile(file, Buffer.alloc(3 * 1024 * 1024, 7));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checking an update against the release key', () => {
  const check = (signature: string | null, options: { version?: string; target?: string; key?: typeof release.publicKey } = {}) =>
    checkUpdateSignature({
      file: options.target ?? file,
      version: options.version ?? '1.2.0',
      signatureBytes: signature === null ? null : bytes(signature),
      publicKey: options.key ?? release.publicKey,
    });

  it('a signature made with the release key for this file and version verifies', async () => {
    const sig = await signUpdateFile(file, '1.2.0', release.privateKey);
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect(await check(sig)).toEqual({ ok: true });
  });

  it('another key, an altered file, another version: mismatch', async () => {
    expect(await check(await signUpdateFile(file, '1.2.0', other.privateKey))).toEqual({ ok: false, problem: 'mismatch' });
    expect(await check(await signUpdateFile(file, '1.2.0', release.privateKey), { key: other.publicKey })).toEqual({ ok: false, problem: 'mismatch' });
    const sig = await signUpdateFile(file, '1.2.0', release.privateKey);
    expect(await check(sig, { version: '1.3.0' })).toEqual({ ok: false, problem: 'mismatch' });
    const altered = Buffer.alloc(3 * 1024 * 1024, 7);
    altered[2 * 1024 * 1024] = 8;
    await writeFile(file, altered);
    expect(await check(sig)).toEqual({ ok: false, problem: 'mismatch' });
  });

  it('no .sig: missing; a file that cannot be read: unreadable', async () => {
    expect(await check(null)).toEqual({ ok: false, problem: 'missing' });
    const sig = await signUpdateFile(file, '1.2.0', release.privateKey);
    expect(await check(sig, { target: path.join(dir, 'gone.AppImage') })).toEqual({ ok: false, problem: 'unreadable' });
  });

  it('a .sig over the limit is refused unparsed; one that is no Ed25519 signature is malformed', async () => {
    expect(await check('A'.repeat(MAX_SIGNATURE_BYTES + 1))).toEqual({ ok: false, problem: 'too-large' });
    expect(parseSignature(new Uint8Array(10 * 1024 * 1024))).toEqual({ ok: false, problem: 'too-large' });
    for (const bad of ['', 'hello\n', `${'A'.repeat(84)}==`, `${'A'.repeat(86)}==${'A'.repeat(4)}`, `${'A'.repeat(86)}!=`]) {
      expect(await check(bad), JSON.stringify(bad)).toEqual({ ok: false, problem: 'malformed' });
    }
    // Surrounding white space (an editor's newline, CRLF) is fine.
    const sig = (await signUpdateFile(file, '1.2.0', release.privateKey)).trim();
    expect(await check(`  ${sig}\r\n`)).toEqual({ ok: true });
  });

  it('the release key must be an Ed25519 public key', () => {
    expect(releasePublicKey(release.publicKey.export({ type: 'spki', format: 'pem' }) as string).asymmetricKeyType).toBe('ed25519');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => releasePublicKey(ec)).toThrow(/not Ed25519/);
  });
});

describe('where the .sig is and how it is fetched', () => {
  it('beside the file in the feed folder, with or without a trailing slash', () => {
    expect(signatureUrl('https://u.kz/stable', 'Joldama-1.2.0.AppImage')).toBe('https://u.kz/stable/Joldama-1.2.0.AppImage.sig');
    expect(signatureUrl('https://u.kz/stable/', 'Joldama Setup 1.2.0.exe')).toBe('https://u.kz/stable/Joldama%20Setup%201.2.0.exe.sig');
    // A name cannot climb out of the feed folder.
    expect(signatureUrl('https://u.kz/stable', '../evil')).toBe('https://u.kz/stable/..%2Fevil.sig');
  });

  it('a .sig on the feed: its bytes', async () => {
    const fetch = vi.fn(async () => new Response('c2ln\n'));
    expect(Buffer.from((await fetchSignature(fetch, 'https://u.kz/a.sig'))!).toString()).toBe('c2ln\n');
  });

  it('none (404, 500, no network): null', async () => {
    expect(await fetchSignature(async () => new Response('no', { status: 404 }), 'https://u.kz/a.sig')).toBeNull();
    expect(await fetchSignature(async () => new Response('no', { status: 500 }), 'https://u.kz/a.sig')).toBeNull();
    expect(await fetchSignature(async () => Promise.reject(new TypeError('fetch failed')), 'https://u.kz/a.sig')).toBeNull();
  });

  it('an endless .sig: reading stops just past the limit', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(256).fill(65));
      },
    });
    const got = await fetchSignature(async () => new Response(endless), 'https://u.kz/a.sig');
    expect(got!.byteLength).toBe(MAX_SIGNATURE_BYTES + 1);
    expect(pulled).toBeLessThan(10);
    expect(parseSignature(got!)).toEqual({ ok: false, problem: 'too-large' });
  });

  it('a declared length over the limit: not read at all', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull: () => {
        throw new Error('read');
      },
    });
    const got = await fetchSignature(async () => new Response(body, { headers: { 'content-length': String(1 << 30) } }), 'https://u.kz/a.sig');
    expect(parseSignature(got!)).toEqual({ ok: false, problem: 'too-large' });
  });
});
