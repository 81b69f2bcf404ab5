/**
 * Adding the service's 127.0.0.1 certificate to the user's own trust store (docs/ncalayer.md,
 * "Trusting it"), only when the user asks for it in the settings, and only where no administrator
 * rights are needed:
 * - Windows: `certutil -user -addstore Root` (the CurrentUser store; Windows shows its own
 *   confirmation with the thumbprint);
 * - Linux: the NSS database in the home folder, which Chrome and Chromium read, with `certutil`
 *   (Debian's libnss3-tools) when it is installed and the database exists.
 * macOS asks for the user's password in a way Joldama should not imitate: the steps are shown.
 * Commands run without a shell, with an absolute program path.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

export type TrustOs = 'windows' | 'macos' | 'linux';

export const NSS_NICKNAME = 'Joldama local signing service';

export function trustOs(platform: NodeJS.Platform): TrustOs {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : 'linux';
}

export interface TrustCommand {
  file: string;
  args: string[];
}

export interface TrustEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

const exists = (file: string, mode = constants.F_OK) => access(file, mode).then(() => true, () => false);

/** The first executable `name` on PATH (absolute folders only: a relative PATH entry is the current folder's). */
async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(folder)) continue;
    const file = path.join(folder, name);
    if (await exists(file, constants.X_OK)) return file;
  }
  return undefined;
}

/** The command that adds `certificatePath` for the current user, or undefined where Joldama cannot. */
export async function userTrustCommand(certificatePath: string, where: TrustEnvironment): Promise<TrustCommand | undefined> {
  if (where.platform === 'win32') {
    const file = path.win32.join(where.env.SystemRoot ?? 'C:\\Windows', 'System32', 'certutil.exe');
    return { file, args: ['-user', '-addstore', 'Root', certificatePath] };
  }
  if (where.platform !== 'linux') return undefined;
  const database = path.join(where.home, '.pki', 'nssdb');
  const certutil = await onPath('certutil', where.env);
  // No database: Chrome has not run for this user yet; it makes one on its first start.
  if (!certutil || !(await exists(path.join(database, 'cert9.db')))) return undefined;
  return { file: certutil, args: ['-d', `sql:${database}`, '-A', '-t', 'P,,', '-n', NSS_NICKNAME, '-i', certificatePath] };
}

export type RunCommand = (file: string, args: string[]) => Promise<unknown>;

const run: RunCommand = (file, args) => promisify(execFile)(file, args, { timeout: 120_000, windowsHide: true });

export async function addToUserTrustStore(command: TrustCommand, runCommand: RunCommand = run): Promise<void> {
  await runCommand(command.file, command.args);
}
