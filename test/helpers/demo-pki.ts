/**
 * Real demo keys for tests: the demo PKI is generated once per test process (a few seconds)
 * into a temporary folder, then shared by every test file running in that process.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoPki, type DemoKey, type DemoPkiIndex } from '../../signing/demo-pki/generate.ts';
import { DEMO_IDENTITIES } from '../../signing/demo-pki/identities.ts';
import type { Purpose } from '../../signing/types.ts';

export interface DemoKeyFilter {
  /** Folder name of the person, e.g. "abilov-dauren" (see DEMO_IDENTITIES). */
  slug?: string;
  iin?: string;
  purpose?: Purpose;
  status?: DemoKey['status'];
  role?: DemoKey['role'];
}

export interface DemoPki {
  dir: string;
  index: DemoPkiIndex;
  password: string;
  /** Absolute path of the first key matching the filter (throws when none does). */
  keyPath(filter?: DemoKeyFilter): string;
  /** The index entry of the first key matching the filter, with its absolute path. */
  key(filter?: DemoKeyFilter): DemoKey & { path: string };
  root: X509Certificate;
  intermediate: X509Certificate;
  /** The issuing CA's private key (for OCSP responses and CRLs in tests). */
  intermediateKey: KeyObject;
  /** DER CRL of the issuing CA, revoking the revoked person's certificates. */
  crl: Buffer;
}

let cached: Promise<DemoPki> | undefined;

function matches(key: DemoKey, filter: DemoKeyFilter): boolean {
  const slug = filter.slug === undefined ? undefined : DEMO_IDENTITIES.find((p) => p.slug === filter.slug);
  if (filter.slug !== undefined && slug?.iin !== key.iin) return false;
  if (filter.iin !== undefined && filter.iin !== key.iin) return false;
  if (filter.purpose !== undefined && !key.purposes.includes(filter.purpose)) return false;
  if (filter.status !== undefined && filter.status !== key.status) return false;
  if (filter.role !== undefined && filter.role !== key.role) return false;
  return true;
}

async function create(): Promise<DemoPki> {
  const dir = mkdtempSync(join(tmpdir(), 'joldama-demo-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const index = await generateDemoPki(dir);
  const read = (relative: string): Buffer => readFileSync(join(dir, relative));
  const key = (filter: DemoKeyFilter = {}): DemoKey & { path: string } => {
    const found = index.keys.find((k) => matches(k, filter));
    if (!found) throw new Error(`No demo key matches ${JSON.stringify(filter)}`);
    return { ...found, path: join(dir, found.file) };
  };
  return {
    dir,
    index,
    password: index.password,
    key,
    keyPath: (filter) => key(filter).path,
    root: new X509Certificate(read(index.ca.root)),
    intermediate: new X509Certificate(read(index.ca.intermediate)),
    intermediateKey: createPrivateKey(read(index.ca.intermediateKey)),
    crl: read(index.ca.crl),
  };
}

/** The demo PKI of this test process, generated on first use. */
export function getDemoPki(): Promise<DemoPki> {
  cached ??= create();
  return cached;
}
