/**
 * The policy file on Windows (%ProgramData%\Joldama\policy.json), honoured only when the
 * registry holds no policy, and only when the file and its folder are owned by Administrators or
 * SYSTEM and nobody else may write to them (windows-acl.ts): %ProgramData% lets every user create
 * folders, so a folder or file someone else made is never taken as the administrator's. Neither may
 * be a link or junction. A missing folder or file is no policy.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { aclProblem, type AclReader } from './windows-acl.ts';
import { MAX_POLICY_BYTES, policyInsecure, policyUnreadable } from './schema.ts';

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;

async function present(p: string, file: string): Promise<boolean> {
  try {
    const stat = await fs.lstat(p);
    if (stat.isSymbolicLink()) throw policyInsecure(file, `${p} is a link or junction`);
    return true;
  } catch (e) {
    if (code(e) === 'ENOENT') return false;
    if ((e as { code?: string }).code === 'POLICY_INSECURE') throw e;
    throw policyUnreadable(file, code(e) ?? 'error');
  }
}

/** The file's text, or null when there is no file. POLICY_INSECURE / POLICY_INVALID otherwise. */
export async function readWindowsPolicyFile(file: string, readAcl: AclReader): Promise<string | null> {
  const dir = path.win32.dirname(file);
  if (!(await present(dir, file)) || !(await present(file, file))) return null;
  for (const [what, p] of [['its folder', dir], ['the file', file]] as const) {
    let sddl: string;
    try {
      sddl = await readAcl(p);
    } catch {
      throw policyUnreadable(file, `the permissions of ${p} cannot be read`);
    }
    const problem = aclProblem(sddl);
    if (problem) throw policyInsecure(file, `${what}: ${problem}`);
  }
  const handle = await fs.open(file, 'r').catch((e: unknown) => {
    throw policyUnreadable(file, code(e) ?? 'error');
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw policyInsecure(file, 'it is not a regular file');
    if (stat.size > MAX_POLICY_BYTES) throw policyUnreadable(file, `larger than ${MAX_POLICY_BYTES} bytes`);
    const bytes = Buffer.alloc(MAX_POLICY_BYTES + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    if (bytesRead > MAX_POLICY_BYTES) throw policyUnreadable(file, `larger than ${MAX_POLICY_BYTES} bytes`);
    return bytes.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}
