/**
 * The release key for updates (docs/kiosk.md, "Updates"; main/update-signature.ts), on the
 * release machine:
 *
 *   npx tsx main/electron/update-signing.ts new-key <private-key-file>
 *       makes the Ed25519 release key: the private key into <private-key-file> (mode 0600, never
 *       overwritten), the public key into resources/update-key.pem (commit that file).
 *   npx tsx main/electron/update-signing.ts check-key
 *       the private key JOLDAMA_RELEASE_KEY names is the one resources/update-key.pem belongs to.
 *   npx tsx main/electron/update-signing.ts sign <version> <file>...
 *       writes <file>.sig beside each file, signed with JOLDAMA_RELEASE_KEY, and verifies it.
 *
 * scripts/release.mjs runs check-key before building and sign after.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkUpdateSignature, releasePublicKey, signUpdateFile } from '../update-signature.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PUBLIC_KEY_FILE = path.join(root, 'resources', 'update-key.pem');

function fail(message: string): never {
  console.error(`update-signing: ${message}`);
  process.exit(2);
}

/** The private key JOLDAMA_RELEASE_KEY names, checked against resources/update-key.pem. */
export function releaseKeys(env: NodeJS.ProcessEnv = process.env): { privateKey: KeyObject; publicKey: KeyObject } {
  const file = env.JOLDAMA_RELEASE_KEY;
  if (!file) fail('set JOLDAMA_RELEASE_KEY to the file holding the release key (docs/kiosk.md, "Updates")');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: readFileSync(file), ...(env.JOLDAMA_RELEASE_KEY_PASSPHRASE ? { passphrase: env.JOLDAMA_RELEASE_KEY_PASSPHRASE } : {}) });
  } catch (e) {
    fail(`cannot read the release key ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') fail(`${file} is not an Ed25519 key`);
  let shipped: KeyObject;
  try {
    shipped = releasePublicKey(readFileSync(PUBLIC_KEY_FILE, 'utf8'));
  } catch (e) {
    fail(`resources/update-key.pem is missing or not an Ed25519 public key (${e instanceof Error ? e.message : String(e)}): make the release key first`);
  }
  if (!createPublicKey(privateKey).equals(shipped)) fail(`${file} is not the key resources/update-key.pem belongs to: the packages would refuse every update`);
  return { privateKey, publicKey: shipped };
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'new-key' && rest.length === 1) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(rest[0]!, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      fail(`cannot write ${rest[0]} (an existing key is never overwritten): ${e instanceof Error ? e.message : String(e)}`);
    }
    writeFileSync(PUBLIC_KEY_FILE, publicKey.export({ type: 'spki', format: 'pem' }));
    console.log(`release key: ${rest[0]} (keep it off this repository, see docs/kiosk.md); public key: resources/update-key.pem (commit it)`);
  } else if (command === 'check-key' && rest.length === 0) {
    releaseKeys();
    console.log('update-signing: the release key matches resources/update-key.pem');
  } else if (command === 'sign' && rest.length >= 2) {
    const [version, ...files] = rest as [string, ...string[]];
    const { privateKey, publicKey } = releaseKeys();
    for (const file of files) {
      const sig = await signUpdateFile(file, version, privateKey);
      writeFileSync(`${file}.sig`, sig);
      const check = await checkUpdateSignature({ file, version, signatureBytes: Buffer.from(sig), publicKey });
      if (!check.ok) fail(`the signature of ${file} does not verify (${check.problem})`);
      console.log(`signed ${path.basename(file)}.sig (version ${version})`);
    }
  } else {
    fail('usage: update-signing.ts new-key <private-key-file> | check-key | sign <version> <file>...');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
