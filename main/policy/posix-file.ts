/**
 * The policy file on Linux (and macOS): /etc/joldama/policy.json, used only when nobody but root
 * could have written it. Its folder and the file must be owned by a trusted user (root), not
 * group- or world-writable, and not symbolic links; the file is opened with O_NOFOLLOW (no link
 * swapped in after the check) and O_NONBLOCK (a FIFO cannot hang the start), and the checks are
 * made on the opened file (fstat), not on its name. A missing folder or file is no policy.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { MAX_POLICY_BYTES, policyInsecure, policyUnreadable } from './schema.ts';

export interface PosixRules {
  /** Owners that are trusted (root: [0]). */
  trustedUids: readonly number[];
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;

function problem(stat: Stats, rules: PosixRules): string | null {
  if (!rules.trustedUids.includes(stat.uid)) return `owned by uid ${stat.uid}, not root`;
  if (stat.mode & 0o022) return `writable by its group or by everyone (mode ${(stat.mode & 0o777).toString(8)})`;
  return null;
}

/** The file's text, or null when there is no policy. POLICY_INSECURE / POLICY_INVALID otherwise. */
export async function readPosixPolicyFile(file: string, rules: PosixRules): Promise<string | null> {
  const dir = path.dirname(file);
  let folder: Stats;
  try {
    folder = await fs.lstat(dir);
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    throw policyUnreadable(dir, code(e) ?? 'error');
  }
  if (folder.isSymbolicLink()) throw policyInsecure(file, `${dir} is a symbolic link`);
  if (!folder.isDirectory()) throw policyInsecure(file, `${dir} is not a folder`);
  const folderProblem = problem(folder, rules);
  if (folderProblem) throw policyInsecure(file, `its folder is ${folderProblem}`);

  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    if (code(e) === 'ELOOP') throw policyInsecure(file, 'it is a symbolic link');
    throw policyUnreadable(file, code(e) ?? 'error');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw policyInsecure(file, 'it is not a regular file');
    const fileProblem = problem(stat, rules);
    if (fileProblem) throw policyInsecure(file, `it is ${fileProblem}`);
    if (stat.size > MAX_POLICY_BYTES) throw policyUnreadable(file, `larger than ${MAX_POLICY_BYTES} bytes`);
    const bytes = Buffer.alloc(MAX_POLICY_BYTES + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    if (bytesRead > MAX_POLICY_BYTES) throw policyUnreadable(file, `larger than ${MAX_POLICY_BYTES} bytes`);
    return bytes.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
