/**
 * Finding key containers on disk and listing the keys in them (no key material in the result):
 * the "path to the key file / refresh key list" step of an NCA login.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { validityStatus } from '../certificate-profile.ts';
import { SigningError, type SigningErrorCode } from '../errors.ts';
import type { KeyEntry, OpenedKey, Purpose } from '../types.ts';
import { openKeyStore } from './pkcs12.ts';

/** Deep enough for "Keys/<person>/<date>/..."; shallow enough not to crawl a whole home folder. */
const MAX_DEPTH = 4;
const MAX_ENTRIES_VISITED = 5000;
const KEY_FILE = /\.(p12|pfx)$/i;

export interface KeyFileNameHint {
  algorithm: 'RSA' | 'GOST';
  purpose: Purpose;
}

/**
 * What an NCA file name suggests (AUTH_RSA256_<40 hex>.p12, RSA256_..., GOSTKNCA_..., GOST512_...).
 * Only a hint for display and ordering: the certificate decides.
 */
export function keyFileNameHint(path: string): KeyFileNameHint | undefined {
  const match = /^(AUTH_)?(RSA256|RSA|GOSTKNCA|GOST512)_[0-9a-f]{40}\.p12$/i.exec(basename(path));
  if (!match) return undefined;
  return {
    algorithm: match[2]?.toUpperCase().startsWith('RSA') ? 'RSA' : 'GOST',
    purpose: match[1] ? 'AUTH' : 'SIGN',
  };
}

/** NCA RSA keys first (AUTH before SIGN), then everything else; by path within each group. */
function orderOf(path: string): number {
  const hint = keyFileNameHint(path);
  if (!hint) return 4;
  return (hint.algorithm === 'RSA' ? 0 : 2) + (hint.purpose === 'AUTH' ? 0 : 1);
}

function sortKeyFiles(paths: string[]): string[] {
  return paths.sort((a, b) => orderOf(a) - orderOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Key container files at `path`: the file itself, or .p12/.pfx files under a folder (recursively, bounded). */
export async function findKeyFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new SigningError('FILE_NOT_FOUND', `No such file or folder: ${path}`);
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new SigningError('NOT_PKCS12', `Not a key file or folder: ${path}`);

  const found: string[] = [];
  let visited = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable sub-folder is skipped, not fatal
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (++visited > MAX_ENTRIES_VISITED) return;
      const full = join(dir, entry.name);
      // Symbolic links are not followed: no loops, no escaping the chosen folder.
      if (entry.isFile() && KEY_FILE.test(entry.name)) found.push(full);
      else if (entry.isDirectory() && depth < MAX_DEPTH) await walk(full, depth + 1);
    }
  };
  await walk(path, 1);
  return sortKeyFiles(found);
}

export interface KeyListProblem {
  file: string;
  code: SigningErrorCode;
  message: string;
}

export interface KeyListing {
  keys: KeyEntry[];
  /** Files that could not be opened (wrong password, GOST, damaged...), in file order. */
  problems: KeyListProblem[];
}

export function keyEntryOf(key: OpenedKey, at: Date): KeyEntry {
  return { ...key.info, file: key.file, index: key.index, status: validityStatus(key.info, at) };
}

/** Opens one key store: openKeyStore on this thread, or a caller's (e.g. in a worker thread). */
export type OpenKeyStore = (file: string, password: string) => Promise<OpenedKey[]>;

/**
 * Every key under `path` with what went wrong for the files that could not be opened. `onOpened`
 * sees each opened key (a caller that keeps its public certificate, e.g. to check revocation);
 * `open` opens each file (main passes one that works off its event loop).
 */
export async function listKeysWithProblems(
  path: string,
  password: string,
  at = new Date(),
  onOpened?: (key: OpenedKey) => void,
  open: OpenKeyStore = openKeyStore,
): Promise<KeyListing> {
  const files = await findKeyFiles(path);
  const listing: KeyListing = { keys: [], problems: [] };
  for (const file of files) {
    try {
      for (const key of await open(file, password)) {
        onOpened?.(key);
        listing.keys.push(keyEntryOf(key, at));
      }
    } catch (e) {
      if (!(e instanceof SigningError)) throw e;
      listing.problems.push(problemOf(file, e));
    }
  }
  return listing;
}

/**
 * What went wrong with one file. A GOST container's algorithm is inside its encrypted bags, so with
 * a password that does not open it only its NCA file name tells: such a file is reported as GOST
 * (unusable whatever the password), not as a wrong password.
 */
function problemOf(file: string, e: SigningError): KeyListProblem {
  if (e.code === 'WRONG_PASSWORD' && keyFileNameHint(file)?.algorithm === 'GOST') {
    return {
      file,
      code: 'GOST_NOT_SUPPORTED',
      message: `${basename(file)} is a GOST key (by its NCA file name). GOST keys are not supported yet: use your RSA key (AUTH_RSA256_... or RSA256_... file).`,
    };
  }
  return { file, code: e.code, message: e.message };
}

/**
 * Every key under `path` (a file or a folder). Files that fail are skipped when others succeed;
 * when none yields a key, the most telling failure is thrown (a wrong password first).
 */
export async function listKeys(
  path: string,
  password: string,
  at = new Date(),
  onOpened?: (key: OpenedKey) => void,
  open: OpenKeyStore = openKeyStore,
): Promise<KeyEntry[]> {
  const { keys, problems } = await listKeysWithProblems(path, password, at, onOpened, open);
  if (keys.length > 0) return keys;
  const problem = problems.find((p) => p.code === 'WRONG_PASSWORD') ?? problems[0];
  if (problem) throw new SigningError(problem.code, problem.message);
  throw new SigningError('NO_KEYS_FOUND', `No key files (.p12, .pfx) found in ${path}`);
}
