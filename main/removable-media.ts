/**
 * Key files (and the application's proof documents) from removable media only (policy
 * `removableMediaOnly`, on by default in kiosk mode): which folders count as removable media, main's
 * fence for every path the window sends (key files and folders, proofs), and the file dialogs held
 * to them. The native dialog can only be started somewhere, not fenced in, so the chosen file is
 * checked afterwards; every check resolves links first (a link on the medium could point at the disk).
 * - Linux: what udisks mounts for hot-plugged drives, under /media/ and /run/media/
 *   (from /proc/self/mountinfo);
 * - Windows: the drives Windows reports as removable (Win32_LogicalDisk DriveType 2).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppFailure } from './errors.ts';

/** Unescapes mountinfo's octal escapes (\040 is a space). */
const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/** Mount points of block devices under /media/ or /run/media/, from /proc/self/mountinfo's text. */
export function linuxRemovableRoots(mountinfo: string): string[] {
  const roots: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    const mountPoint = before?.split(' ')[4];
    const source = after?.split(' ')[1];
    if (!mountPoint || !source?.startsWith('/dev/')) continue;
    const point = unescapeMount(mountPoint);
    if (/^\/(run\/)?media\/./.test(point)) roots.push(point);
  }
  return roots;
}

/** Drive roots from a list of drive names ("E:" a line), as PowerShell prints Win32_LogicalDisk's DeviceID. */
export function windowsRemovableRoots(deviceIds: string): string[] {
  return deviceIds
    .split(/\r?\n/)
    .map((l) => l.trim().toUpperCase())
    .filter((l) => /^[A-Z]:$/.test(l))
    .map((l) => `${l}\\`);
}

/** Whether `p` (absolute, links resolved) lies inside one of `roots`. */
export function withinRoots(p: string, roots: readonly string[], platform: NodeJS.Platform): boolean {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const fold = (s: string) => (platform === 'win32' ? s.toLowerCase() : s);
  const target = fold(paths.normalize(p));
  return roots.some((root) => {
    const r = fold(paths.normalize(root));
    const prefix = r.endsWith(paths.sep) ? r : r + paths.sep;
    return target === r || target.startsWith(prefix);
  });
}

/** Where the removable media are now, and how links are resolved (tests pass folders and stand-ins). */
export interface RemovableMedia {
  platform: NodeJS.Platform;
  /** The removable media's roots now. */
  removableRoots: () => Promise<string[]>;
  realpath: (p: string) => Promise<string>;
}

export interface FilePickerOptions extends RemovableMedia {
  removableMediaOnly: boolean;
  /** The native dialog (null: cancelled). */
  showOpenDialog: (defaultPath: string | null) => Promise<string | null>;
}
export type KeyFilePickerOptions = FilePickerOptions;

export type RemovableRefusal = 'no-removable-media' | 'not-removable';

/**
 * `p` with its links resolved, when that lies on a removable medium now (`roots`: asked once by the
 * caller); otherwise `refuse(reason)`. A path that cannot be resolved (missing, unreadable) is
 * refused as not removable: nothing is said about what lies outside the media.
 */
async function resolvedOnMedia(p: string, roots: readonly string[], media: RemovableMedia, refuse: (reason: RemovableRefusal) => Error): Promise<string> {
  if (roots.length === 0) throw refuse('no-removable-media');
  const real = await media.realpath(p).catch(() => {
    throw refuse('not-removable');
  });
  if (!withinRoots(real, roots, media.platform)) throw refuse('not-removable');
  return real;
}

/**
 * Main's own fence for a path the window sends (policy `removableMediaOnly`; the dialogs below are
 * only a convenience, a window can send any path): resolves to the path to open, links resolved,
 * or refuses. Opening the resolved path means a link cannot be swapped in after the check.
 */
export function removableMediaFence(media: RemovableMedia, refuse: (reason: RemovableRefusal) => Error): (p: string) => Promise<string> {
  return async (p) => resolvedOnMedia(p, await media.removableRoots(), media, refuse);
}

/**
 * A file dialog held to removable media when removableMediaOnly: it starts on a medium (`startIn`
 * when it is on one), refuses to open with none inserted and refuses a file chosen elsewhere,
 * each with `refuse(reason)`.
 */
export function removableMediaPicker(
  options: FilePickerOptions,
  refuse: (reason: RemovableRefusal) => Error,
): (startIn: string | null) => Promise<string | null> {
  return async (startIn) => {
    if (!options.removableMediaOnly) return options.showOpenDialog(startIn);
    const roots = await options.removableRoots();
    if (roots.length === 0) throw refuse('no-removable-media');
    const start = startIn && withinRoots(startIn, roots, options.platform) ? startIn : roots[0]!;
    const picked = await options.showOpenDialog(start);
    if (picked === null) return null;
    await resolvedOnMedia(picked, roots, options, refuse);
    return picked;
  };
}

/** A key file or folder not on removable media: KEY_PATH_REFUSED with the reason. */
export const refuseKeyPath = (reason: RemovableRefusal) => new AppFailure('KEY_PATH_REFUSED', `key file refused (${reason})`, { reason });
/** A benefit proof not on removable media: APPLY_PROOF_NOT_REMOVABLE with the reason. */
export const refuseProofPath = (reason: RemovableRefusal) => new AppFailure('APPLY_PROOF_NOT_REMOVABLE', `proof file refused (${reason})`, { reason });

/** The key-file dialog (context.pickKeyFile). */
export function keyFilePicker(options: KeyFilePickerOptions): (startIn: string | null) => Promise<string | null> {
  return removableMediaPicker(options, refuseKeyPath);
}

/** The benefit proof's dialog (context.pickProofFile). */
export function proofFilePicker(options: FilePickerOptions): () => Promise<string | null> {
  const pick = removableMediaPicker(options, refuseProofPath);
  return () => pick(null);
}

/** The removable media's roots on this computer now (Linux, Windows; none elsewhere). */
export async function systemRemovableRoots(platform: NodeJS.Platform = process.platform): Promise<string[]> {
  if (platform === 'linux') return linuxRemovableRoots(await readFile('/proc/self/mountinfo', 'utf8'));
  if (platform !== 'win32') return [];
  const systemRoot = /^[A-Za-z]:\\[^\\]+$/.test(process.env.SystemRoot ?? '') ? process.env.SystemRoot! : 'C:\\Windows';
  const powershell = path.win32.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  const command = "Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=2' | ForEach-Object { $_.DeviceID }";
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(powershell, ['-NoProfile', '-NonInteractive', '-Command', command], { windowsHide: true, timeout: 30_000 }, (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );
  return windowsRemovableRoots(stdout);
}
