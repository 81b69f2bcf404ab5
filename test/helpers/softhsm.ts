/**
 * SoftHSM 2 tokens for tests (Debian packages softhsm2 and opensc, installed by scripts/setup.sh).
 * Each SoftHsm has its own temporary token folder and configuration, pointed at by SOFTHSM2_CONF
 * (SoftHSM reads it in C_Initialize, so make the SoftHsm before the Pkcs11Modules that use it, and
 * close those modules before the next test makes another one). Keys are imported the way an
 * administrator would: softhsm2-util makes the token, pkcs11-tool writes the key and certificate.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openKeyStore } from '../../signing/keystore/pkcs12.ts';

const run = promisify(execFile);

export const SOFTHSM_MODULE = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
].find((path) => existsSync(path));

export const USER_PIN = '123456';
const SO_PIN = '87654321';

export interface SoftHsm {
  dir: string;
  module: string;
  /** Makes and initialises a token; returns its serial number. */
  makeToken(label: string, pin?: string): Promise<string>;
  /** Imports the first key of a .p12 and its certificate under CKA_ID `id` (hex). */
  importP12(label: string, p12: string, password: string, id: string, pin?: string): Promise<void>;
  /** Writes a certificate alone (no private key), e.g. a GOST one. */
  importCertificate(label: string, der: Buffer, id: string, pin?: string): Promise<void>;
  /** Deletes every token's files: to SoftHSM the tokens are gone, as if pulled out. */
  removeTokens(): void;
  cleanup(): void;
}

export function makeSoftHsm(): SoftHsm {
  if (!SOFTHSM_MODULE)
    throw new Error('SoftHSM 2 is not installed: run scripts/setup.sh (apt-get install softhsm2 opensc)');
  const module = SOFTHSM_MODULE;
  const dir = mkdtempSync(join(tmpdir(), 'joldama-softhsm-'));
  const tokens = join(dir, 'tokens');
  const conf = join(dir, 'softhsm2.conf');
  mkdirSync(tokens);
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n`,
  );
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const tool = (label: string, pin: string, args: string[]): Promise<unknown> =>
    run('pkcs11-tool', ['--module', module, '--token-label', label, '--login', '--pin', pin, ...args], {
      env,
    });

  return {
    dir,
    module,
    async makeToken(label, pin = USER_PIN) {
      await run(
        'softhsm2-util',
        ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', pin],
        { env },
      );
      const { stdout } = await run('softhsm2-util', ['--show-slots'], { env });
      const block =
        stdout.split(/\nSlot /).find((b) => new RegExp(`Label:\\s+${label}\\s*$`, 'm').test(b)) ?? '';
      return /Serial number:\s+(\S+)/.exec(block)?.[1] ?? '';
    },
    async importP12(label, p12, password, id, pin = USER_PIN) {
      const [key] = await openKeyStore(p12, password);
      if (!key) throw new Error(`no key in ${p12}`);
      const keyFile = join(dir, `key-${id}.der`);
      const certFile = join(dir, `cert-${id}.der`);
      writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'der' }), { mode: 0o600 });
      writeFileSync(certFile, key.certificate.raw);
      try {
        await tool(label, pin, [
          '--write-object',
          keyFile,
          '--type',
          'privkey',
          '--id',
          id,
          '--label',
          `key ${id}`,
          '--usage-sign',
        ]);
        await tool(label, pin, [
          '--write-object',
          certFile,
          '--type',
          'cert',
          '--id',
          id,
          '--label',
          `cert ${id}`,
        ]);
      } finally {
        rmSync(keyFile, { force: true });
        rmSync(certFile, { force: true });
      }
    },
    async importCertificate(label, der, id, pin = USER_PIN) {
      const certFile = join(dir, `cert-${id}.der`);
      writeFileSync(certFile, der);
      try {
        await tool(label, pin, [
          '--write-object',
          certFile,
          '--type',
          'cert',
          '--id',
          id,
          '--label',
          `cert ${id}`,
        ]);
      } finally {
        rmSync(certFile, { force: true });
      }
    },
    removeTokens() {
      for (const name of readdirSync(tokens)) rmSync(join(tokens, name), { recursive: true, force: true });
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
