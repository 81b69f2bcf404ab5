/**
 * Which key paths main opens, lists or hands to the file dialog: absolute paths on this computer.
 * On Windows a path to another computer (\\host\share\key.p12, //host/share/...) is opened over
 * SMB, which hands the user's NTLM credentials to that host; device and NT paths (\\?\, \\.\,
 * \??\) go past the usual path rules. Paths starting with two slashes of either kind are refused
 * on every OS (POSIX gives "//x" no meaning a user wants), and Windows paths must start with a
 * drive letter (C:\...), which also refuses drive-relative (C:key.p12) and rooted (\Keys) ones.
 */
import path from 'node:path';
import { AppFailure } from './errors.ts';

export type KeyPathProblem = 'network' | 'relative';

export function keyPathProblem(p: string, platform: NodeJS.Platform = process.platform): KeyPathProblem | null {
  if (/^[\\/]{2}/.test(p)) return 'network';
  if (platform === 'win32') return /^[A-Za-z]:[\\/]/.test(p) ? null : 'relative';
  return path.posix.isAbsolute(p) ? null : 'relative';
}

/** KEY_PATH_REFUSED (details.reason: network | relative) unless `p` is a local absolute path. */
export function assertKeyPath(p: string, platform: NodeJS.Platform = process.platform): void {
  const problem = keyPathProblem(p, platform);
  if (problem) throw new AppFailure('KEY_PATH_REFUSED', `key path refused (${problem})`, { reason: problem });
}
