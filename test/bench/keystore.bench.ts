/**
 * Key store costs: opening an NCA-format .p12 (goal: under 50 ms) and a PBES2/AES-256 one as
 * OpenSSL 3 writes it, next to node-forge's own pkcs12FromAsn1 on the same NCA file (what a
 * forge-only reader would cost), plus describeCertificate and a file-key signature.
 * Run: `npx tsx test/bench/keystore.bench.ts`. signing.bench.ts may import benchKeystore().
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { describeCertificate } from '../../signing/certificate-profile.ts';
import { fileSigner } from '../../signing/keystore/file-signer.ts';
import { openKeyStore } from '../../signing/keystore/pkcs12.ts';
import { getDemoPki } from '../helpers/demo-pki.ts';
import { medianMs } from './median-time.ts';

export interface BenchRow {
  name: string;
  opsPerSec: number;
  msPerOp: number;
}

function row(name: string, msPerOp: number): BenchRow {
  return { name, msPerOp: Number(msPerOp.toFixed(3)), opsPerSec: Number((1000 / msPerOp).toFixed(1)) };
}

/** A PBES2/AES-256-CBC + HMAC-SHA256 copy of an NCA-format key (OpenSSL 3 defaults). */
function pbes2Copy(source: string, password: string, work: string): string {
  const pem = join(work, 'key.pem');
  writeFileSync(
    pem,
    execFileSync('openssl', ['pkcs12', '-legacy', '-nodes', '-passin', `pass:${password}`, '-in', source]),
    {
      mode: 0o600,
    },
  );
  const out = join(work, 'pbes2.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-in', pem, '-passout', `pass:${password}`, '-out', out]);
  return out;
}

export async function benchKeystore(): Promise<BenchRow[]> {
  const pki = await getDemoPki();
  const nca = pki.keyPath({ purpose: 'SIGN', status: 'valid' });
  const work = mkdtempSync(join(tmpdir(), 'joldama-bench-keystore-'));
  try {
    const pbes2 = pbes2Copy(nca, pki.password, work);
    const ncaBytes = readFileSync(nca).toString('binary');
    const [key] = await openKeyStore(nca, pki.password);
    if (!key) throw new Error('demo key did not open');
    const signer = fileSigner(key);
    const document = Buffer.alloc(2048, 'a');
    return [
      row(
        'openKeyStore NCA legacy (.p12, 3DES/RC2-40, SHA-1 MAC)',
        await medianMs(() => openKeyStore(nca, pki.password)),
      ),
      row(
        'openKeyStore PBES2 (AES-256-CBC, HMAC-SHA256 MAC)',
        await medianMs(() => openKeyStore(pbes2, pki.password)),
      ),
      row(
        'forge pkcs12FromAsn1 on the NCA file (reference)',
        await medianMs(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(ncaBytes), false, pki.password)),
      ),
      row('describeCertificate', await medianMs(() => describeCertificate(key.certificate))),
      row('fileSigner.sign (RSA-2048, SHA-256, 2 KB)', await medianMs(() => signer.sign(document))),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchKeystore();
  const width = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(`${'benchmark'.padEnd(width)}  ms/op     ops/s\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.name.padEnd(width)}  ${r.msPerOp.toFixed(2).padStart(7)}  ${r.opsPerSec.toFixed(1).padStart(8)}\n`,
    );
  }
}
