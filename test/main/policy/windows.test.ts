/**
 * The Windows policy: the registry through reg.exe and the file's permissions through its SDDL,
 * both over stand-ins (reg.exe's and Get-Acl's real output shapes), and the order they are read in.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy, policyLocation, type WindowsReaders } from '../../../main/policy/load.ts';
import { NO_POLICY } from '../../../main/policy/schema.ts';
import { aclProblem } from '../../../main/policy/windows-acl.ts';
import { readWindowsPolicyFile } from '../../../main/policy/windows-file.ts';
import { parseRegQuery, policyFromRegistry, readRegistryPolicy, type RunProgram } from '../../../main/policy/windows-registry.ts';

const KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Joldama';
const regOutput = (...lines: string[]) => ['', KEY, ...lines.map((l) => `    ${l}`), '', ''].join('\r\n');
const KIOSK_VALUES = regOutput(
  'PortalUrl    REG_SZ    https://portal.gov.kz',
  'Kiosk    REG_DWORD    0x1',
  'Languages    REG_MULTI_SZ    kk\\0ru',
  'IdleTimeoutSeconds    REG_DWORD    0xb4',
  'KeySources    REG_MULTI_SZ    file',
  'LoginMethods    REG_MULTI_SZ    certificate',
  'SettingsHidden    REG_DWORD    0x1',
  'RemovableMediaOnly    REG_DWORD    0x0',
  'Updates    REG_DWORD    0x0',
);

describe('the policy in the registry', () => {
  it('maps each value to its policy field', () => {
    expect(policyFromRegistry(parseRegQuery(KIOSK_VALUES))).toEqual({
      settings: { portalUrl: 'https://portal.gov.kz' },
      kiosk: true,
      languages: ['kk', 'ru'],
      idleTimeoutSeconds: 180,
      keySources: ['file'],
      loginMethods: ['certificate'],
      settingsHidden: true,
      removableMediaOnly: false,
      updates: false,
    });
  });

  it('takes value names in any case and skips the unnamed default value', () => {
    const values = parseRegQuery(regOutput('(Default)    REG_SZ    (value not set)', 'portalurl    REG_SZ    https://p.kz', 'TRUSTSTORE    REG_SZ    production'));
    expect(policyFromRegistry(values)).toEqual({ settings: { portalUrl: 'https://p.kz', trustStore: 'production' } });
  });

  it.each([
    ['an unknown value', regOutput('Kiosks    REG_DWORD    0x1'), /unknown value Kiosks/],
    ['a wrong type', regOutput('Kiosk    REG_SZ    1'), /Kiosk must be REG_DWORD/],
    ['a flag other than 0 or 1', regOutput('Kiosk    REG_DWORD    0x2'), /must be 0 or 1/],
    ['a non-ASCII value', regOutput('PortalUrl    REG_SZ    https://портал.kz'), /not ASCII/],
    ['a subkey', `${regOutput('Kiosk    REG_DWORD    0x1')}${KEY}\\Extra\r\n`, /subkey/],
    ['another key', regOutput().replace(KEY, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Other'), /unexpected/],
    ['an unexpected line', `${regOutput()}garbage\r\n`, /unexpected/],
  ])('refuses %s', (_label, output, why) => {
    expect(() => policyFromRegistry(parseRegQuery(output))).toThrow(expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringMatching(why) }));
  });

  const runner = (answers: Record<string, { code: number; stdout: string }>): RunProgram & { calls: string[][] } => {
    const calls: string[][] = [];
    return Object.assign(
      async (file: string, args: readonly string[]) => {
        calls.push([file, ...args]);
        return answers[args[1]!] ?? { code: 1, stdout: '' };
      },
      { calls },
    );
  };

  it('queries the 64-bit view with the system reg.exe', async () => {
    const run = runner({ 'HKLM\\SOFTWARE\\Policies\\Joldama': { code: 0, stdout: KIOSK_VALUES } });
    expect(await readRegistryPolicy(run, 'C:\\Windows\\System32\\reg.exe')).toHaveLength(9);
    expect(run.calls).toEqual([['C:\\Windows\\System32\\reg.exe', 'query', 'HKLM\\SOFTWARE\\Policies\\Joldama', '/reg:64']]);
  });

  it('no key: no policy (the parent lists no Joldama)', async () => {
    const run = runner({ 'HKLM\\SOFTWARE\\Policies': { code: 0, stdout: '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\r\n' } });
    expect(await readRegistryPolicy(run, 'reg.exe')).toBeNull();
  });

  it('a key that exists but cannot be read, or a parent that cannot be listed: refused', async () => {
    const listed = runner({ 'HKLM\\SOFTWARE\\Policies': { code: 0, stdout: `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\r\n${KEY}\r\n` } });
    await expect(readRegistryPolicy(listed, 'reg.exe')).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringMatching(/exists but/) }));
    await expect(readRegistryPolicy(runner({}), 'reg.exe')).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });
});

// Security descriptors as Get-Acl prints them.
const ADMIN_ONLY = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)';
describe('who may write a policy file on Windows (SDDL)', () => {
  it.each([
    ['owned by Administrators, users may only read', ADMIN_ONLY],
    ['owned by SYSTEM, by full SID', 'O:S-1-5-18G:SYD:P(A;;FA;;;S-1-5-18)(A;;FR;;;WD)'],
    ['a write right for users that is inherit-only (for children, not this object)', 'O:BAG:SYD:(A;;FA;;;BA)(A;OICIIO;FA;;;BU)'],
    ['a deny entry', 'O:BAG:SYD:(A;;FA;;;BA)(D;;FA;;;BU)'],
    ['TrustedInstaller', 'O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:SYD:(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)'],
  ])('trusts a file %s', (_label, sddl) => {
    expect(aclProblem(sddl)).toBeNull();
  });

  it.each([
    ["owned by a user (ProgramData lets users create folders)", 'O:S-1-5-21-1-2-3-1001G:SYD:(A;;FA;;;BA)', /owned by S-1-5-21-1-2-3-1001/],
    ["ProgramData's inherited 'users may create files'", 'O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)', /writable by BU/],
    ['writable by Everyone', 'O:BAG:SYD:(A;;FA;;;BA)(A;;FW;;;WD)', /writable by WD/],
    ['writable by Authenticated Users as a hex mask', 'O:BAG:SYD:(A;;FA;;;BA)(A;;0x2;;;AU)', /writable by AU/],
    ['whose permissions a user may change', 'O:BAG:SYD:(A;;FA;;;BA)(A;;WD;;;S-1-5-21-1-2-3-1001)', /writable by S-1-5-21/],
    ['that a user may delete', 'O:BAG:SYD:(A;;FA;;;BA)(A;;SD;;;IU)', /writable by IU/],
    ['with no access-control list', 'O:BAG:SYD:NO_ACCESS_CONTROL', /no access-control list/],
    ['with an unknown right', 'O:BAG:SYD:(A;;ZZ;;;BU)', /unknown access rights/],
    ['with an unknown entry type', 'O:BAG:SYD:(Q;;FA;;;BU)', /unknown access-control entry/],
    ['without an owner', 'G:SYD:(A;;FA;;;BA)', /owner cannot be read/],
    ['with an entry it cannot parse after a good one (a conditional entry)', 'O:BAG:SYD:(A;;FA;;;BA)(XA;;FA;;;BU;(WIN://SYSAPPID Contains "x"))', /cannot be read/],
    ['without a DACL', 'O:BAG:SY', /cannot be read/],
  ])('refuses a file %s', (_label, sddl, why) => {
    expect(aclProblem(sddl)).toMatch(why);
  });
});

describe('the policy file on Windows (permissions through a stand-in)', () => {
  let root: string;
  let file: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'joldama-winpolicy-'));
    await mkdir(path.join(root, 'Joldama'));
    file = path.join(root, 'Joldama', 'policy.json');
    await writeFile(file, '\uFEFF{"kiosk":false}');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const acl = (byPath: Record<string, string>) => async (p: string) => byPath[p] ?? ADMIN_ONLY;

  it('is read (byte-order mark dropped) when the file and its folder are the administrators\'', async () => {
    expect(await readWindowsPolicyFile(file, acl({}))).toBe('{"kiosk":false}');
  });

  it('refuses it when users may write the folder or the file', async () => {
    const usersWrite = 'O:BAG:SYD:(A;;FA;;;BA)(A;;DCLC;;;BU)';
    await expect(readWindowsPolicyFile(file, acl({ [path.dirname(file)]: usersWrite }))).rejects.toThrow(
      expect.objectContaining({ code: 'POLICY_INSECURE', message: expect.stringMatching(/its folder: writable by BU/) }),
    );
    await expect(readWindowsPolicyFile(file, acl({ [file]: 'O:S-1-5-21-9G:SYD:(A;;FA;;;BA)' }))).rejects.toThrow(
      expect.objectContaining({ code: 'POLICY_INSECURE', message: expect.stringMatching(/the file: owned by S-1-5-21-9/) }),
    );
  });

  it('refuses a link (or junction) as the file or the folder, and permissions it cannot read', async () => {
    const other = path.join(root, 'other.json');
    await writeFile(other, '{}');
    await rm(file);
    await symlink(other, file);
    await expect(readWindowsPolicyFile(file, acl({}))).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INSECURE' }));
    await symlink(path.join(root, 'Joldama'), path.join(root, 'Linked'));
    await expect(readWindowsPolicyFile(path.join(root, 'Linked', 'policy.json'), acl({}))).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INSECURE' }));
    await rm(file);
    await writeFile(file, '{}');
    await expect(readWindowsPolicyFile(file, async () => Promise.reject(new Error('powershell failed')))).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });

  it('no folder or no file: no policy', async () => {
    expect(await readWindowsPolicyFile(path.join(root, 'Nothing', 'policy.json'), acl({}))).toBeNull();
    await rm(file);
    expect(await readWindowsPolicyFile(file, acl({}))).toBeNull();
  });

  const noKey: RunProgram = async (_file, args) =>
    args[1] === 'HKLM\\SOFTWARE\\Policies' ? { code: 0, stdout: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\r\n' } : { code: 1, stdout: '' };

  it('the registry comes first: with a key, the file is not consulted; without one, the checked file is the policy', async () => {
    const location = { kind: 'windows' as const, file, systemRoot: 'C:\\Windows' };
    const untouchable: WindowsReaders['readAcl'] = async () => Promise.reject(new Error('the file must not be consulted'));
    const withKey: RunProgram = async () => ({ code: 0, stdout: regOutput('Kiosk    REG_DWORD    0x0') });
    expect(await loadPolicy(location, { run: withKey, readAcl: untouchable })).toMatchObject({ source: 'HKLM\\SOFTWARE\\Policies\\Joldama', kiosk: false });
    await writeFile(file, '{"languages":["ru"]}');
    expect(await loadPolicy(location, { run: noKey, readAcl: acl({}) })).toMatchObject({ source: file, languages: ['ru'] });
    await rm(file);
    expect(await loadPolicy(location, { run: noKey, readAcl: acl({}) })).toEqual(NO_POLICY);
  });

  it('a registry policy is validated like a file (a kiosk without its portal is refused)', async () => {
    const location = { kind: 'windows' as const, file, systemRoot: 'C:\\Windows' };
    const run: RunProgram = async () => ({ code: 0, stdout: regOutput('Kiosk    REG_DWORD    0x1') });
    await expect(loadPolicy(location, { run, readAcl: acl({}) })).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringMatching(/settings\.portalUrl/) }));
  });
});

describe('where a build looks for its policy', () => {
  it('a packaged build never honours JOLDAMA_POLICY_FILE; an unpackaged one does', () => {
    const env = { JOLDAMA_POLICY_FILE: '/tmp/empty.json', ProgramData: 'D:\\PD', SystemRoot: 'D:\\Win' };
    expect(policyLocation({ platform: 'linux', packaged: true, env })).toEqual({ kind: 'posix', file: '/etc/joldama/policy.json', trustedUids: [0] });
    expect(policyLocation({ platform: 'win32', packaged: true, env })).toEqual({ kind: 'windows', file: 'D:\\PD\\Joldama\\policy.json', systemRoot: 'D:\\Win' });
    expect(policyLocation({ platform: 'linux', packaged: false, env })).toEqual({ kind: 'override', file: '/tmp/empty.json' });
    expect(policyLocation({ platform: 'win32', packaged: false, env })).toEqual({ kind: 'override', file: '/tmp/empty.json' });
  });

  it('takes %ProgramData% and %SystemRoot% only as drive paths (not a network share), else the defaults', () => {
    expect(policyLocation({ platform: 'win32', packaged: true, env: { ProgramData: '\\\\evil\\share', SystemRoot: 'relative' } })).toEqual({
      kind: 'windows',
      file: 'C:\\ProgramData\\Joldama\\policy.json',
      systemRoot: 'C:\\Windows',
    });
  });

  it('an unpackaged override that is missing is no policy; an invalid one stops the app', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-override-'));
    try {
      expect(await loadPolicy({ kind: 'override', file: path.join(dir, 'none.json') })).toEqual(NO_POLICY);
      await writeFile(path.join(dir, 'p.json'), '{"settings":{"portalUrl":42}}');
      await expect(loadPolicy({ kind: 'override', file: path.join(dir, 'p.json') })).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
