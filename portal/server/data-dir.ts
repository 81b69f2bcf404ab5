/** The user's data folder: %APPDATA%\joldama on Windows, else $XDG_DATA_HOME/joldama or ~/.local/share/joldama. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'joldama');
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'joldama');
  return join(homedir(), '.local', 'share', 'joldama');
}
