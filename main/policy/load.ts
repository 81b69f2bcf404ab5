/**
 * Where the administrator's policy is read from, and reading it (docs/kiosk.md, "Policy"):
 * - Linux (and macOS): /etc/joldama/policy.json, owned by root, not group- or world-writable, no links;
 * - Windows: the registry key HKLM\SOFTWARE\Policies\Joldama; only when there is no such key,
 *   %ProgramData%\Joldama\policy.json owned by Administrators/SYSTEM and writable by nobody else;
 * - an unpackaged build (a developer's run, the tests) only: the file named by JOLDAMA_POLICY_FILE,
 *   read as it is. A packaged build never looks at the environment for this.
 * A policy that cannot be read, is not valid, or could have been written by someone else stops the
 * app (POLICY_INVALID, POLICY_INSECURE): it never runs unlocked because its policy was broken.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readPosixPolicyFile } from './posix-file.ts';
import { NO_POLICY, parsePolicy, parsePolicyText, policyUnreadable, type Policy } from './schema.ts';
import type { AclReader } from './windows-acl.ts';
import { readWindowsPolicyFile } from './windows-file.ts';
import { POLICY_KEY, policyFromRegistry, readRegistryPolicy, type RunProgram } from './windows-registry.ts';

export const POSIX_POLICY_FILE = '/etc/joldama/policy.json';

export type PolicyLocation =
  | { kind: 'posix'; file: string; trustedUids: readonly number[] }
  | { kind: 'windows'; file: string; systemRoot: string }
  | { kind: 'override'; file: string };

const DRIVE_PATH = /^[A-Za-z]:\\[^\\/:*?"<>|]+(\\[^\\/:*?"<>|]+)*$/;

/** Where this build looks for its policy. */
export function policyLocation(options: { platform: NodeJS.Platform; packaged: boolean; env: NodeJS.ProcessEnv }): PolicyLocation {
  const { env } = options;
  if (!options.packaged && env.JOLDAMA_POLICY_FILE) return { kind: 'override', file: env.JOLDAMA_POLICY_FILE };
  if (options.platform === 'win32') {
    const programData = env.ProgramData && DRIVE_PATH.test(env.ProgramData) ? env.ProgramData : 'C:\\ProgramData';
    const systemRoot = env.SystemRoot && DRIVE_PATH.test(env.SystemRoot) ? env.SystemRoot : 'C:\\Windows';
    return { kind: 'windows', file: path.win32.join(programData, 'Joldama', 'policy.json'), systemRoot };
  }
  return { kind: 'posix', file: POSIX_POLICY_FILE, trustedUids: [0] };
}

export interface WindowsReaders {
  run: RunProgram;
  readAcl: AclReader;
}

/** Reads and validates the policy at `location`; NO_POLICY when there is none. */
export async function loadPolicy(location: PolicyLocation, windowsReaders?: WindowsReaders): Promise<Policy> {
  switch (location.kind) {
    case 'override': {
      const text = await fs.readFile(location.file, 'utf8').catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw policyUnreadable(location.file, (e as NodeJS.ErrnoException).code ?? 'error');
      });
      return text === null ? NO_POLICY : parsePolicyText(text, location.file);
    }
    case 'posix': {
      const text = await readPosixPolicyFile(location.file, { trustedUids: location.trustedUids });
      return text === null ? NO_POLICY : parsePolicyText(text, location.file);
    }
    case 'windows': {
      const windows = windowsReaders ?? systemReaders(location.systemRoot);
      const regExe = path.win32.join(location.systemRoot, 'System32', 'reg.exe');
      const values = await readRegistryPolicy(windows.run, regExe);
      if (values !== null) return parsePolicy(policyFromRegistry(values), POLICY_KEY);
      const text = await readWindowsPolicyFile(location.file, windows.readAcl);
      return text === null ? NO_POLICY : parsePolicyText(text, location.file);
    }
  }
}

const run: RunProgram = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { windowsHide: true, timeout: 15_000, maxBuffer: 1 << 20, encoding: 'latin1' }, (error, stdout) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? Number(error.code) : 0, stdout });
    });
  });

/** reg.exe, and PowerShell's Get-Acl for a file's security descriptor (the path passed in the environment, never in the command). */
function systemReaders(systemRoot: string): WindowsReaders {
  return {
    run,
    readAcl: (target) =>
      new Promise((resolve, reject) => {
        const powershell = path.win32.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
        const command = '(Get-Acl -LiteralPath $env:JOLDAMA_ACL_PATH).Sddl';
        execFile(
          powershell,
          ['-NoProfile', '-NonInteractive', '-Command', command],
          { windowsHide: true, timeout: 30_000, env: { ...process.env, JOLDAMA_ACL_PATH: target } },
          (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
        );
      }),
  };
}
