/**
 * Key files (and the application's proof documents) from removable media only (policy
 * `removableMediaOnly`, on by default in kiosk mode): which folders count as removable media, and
 * the file dialogs held to them. The native dialog can
 * only be started somewhere, not fenced in, so the chosen file is checked afterwards, after
 * resolving links (a link on the medium could point at the disk).
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

export interface FilePickerOptions {
  platform: NodeJS.Platform;
  removableMediaOnly: boolean;
  /** The native dialog (null: cancelled). */
  showOpenDialog: (defaultPath: string | null) => Promise<string | null>;
  /** The removable media's roots now (only asked when removableMediaOnly). */
  removableRoots: () => Promise<string[]>;
  realpath: (p: string) => Promise<string>;
}
export type KeyFilePickerOptions = FilePickerOptions;

export type RemovableRefusal = 'no-removable-media' | 'not-removable';

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
    const real = await options.realpath(picked).catch(() => {
      throw refuse('not-removable');
    });
    if (!withinRoots(real, roots, options.platform)) throw refuse('not-removable');
    return picked;
  };
}

/** The key-file dialog (context.pickKeyFile): refusals are KEY_PATH_REFUSED with the reason. */
export function keyFilePicker(options: KeyFilePickerOptions): (startIn: string | null) => Promise<string | null> {
  return removableMediaPicker(options, (reason) => new AppFailure('KEY_PATH_REFUSED', `key file refused (${reason})`, { reason }));
}

/** The benefit proof's dialog (context.pickProofFile): refusals are APPLY_PROOF_NOT_REMOVABLE with the reason. */
export function proofFilePicker(options: FilePickerOptions): () => Promise<string | null> {
  const pick = removableMediaPicker(options, (reason) => new AppFailure('APPLY_PROOF_NOT_REMOVABLE', `proof file refused (${reason})`, { reason }));
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
