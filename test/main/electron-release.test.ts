/** The checks around the Electron in use: support status, advisories, the fuse list (pure parts). */
import { describe, expect, it } from 'vitest';
import { checkFuses, supportStatus } from '../../main/electron/check-electron.ts';
import { electronAdvisories } from '../../main/electron/electron-advisories.ts';

describe('Electron support status (the latest three stable majors)', () => {
  it('is supported within the three newest majors, out of support below, unknown without the registry', () => {
    expect(supportStatus('45.5.0', '45.5.0').state).toBe('supported');
    expect(supportStatus('43.8.13', '45.5.0').state).toBe('supported');
    expect(supportStatus('41.7.1', '45.5.0')).toEqual({ state: 'unsupported', text: expect.stringMatching(/OUT OF SUPPORT \(supported majors 43–45/) });
    expect(supportStatus('45.5.0', null).state).toBe('unknown');
  });
});

describe('npm audit: advisories against electron', () => {
  // The shape of `npm audit --json` (report version 2), as it listed Electron 41.7.1.
  const report = (vulnerabilities: Record<string, unknown>) => JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: {} });
  const electron41 = {
    name: 'electron',
    severity: 'high',
    isDirect: true,
    via: [
      {
        source: 1109876,
        name: 'electron',
        dependency: 'electron',
        title: 'Electron: high severity issue',
        url: 'https://github.com/advisories/GHSA-9f4c-93c8-jc8g',
        severity: 'high',
        range: '<41.10.3',
      },
    ],
    range: '<41.10.3',
    fixAvailable: { name: 'electron', version: '45.5.0', isSemVerMajor: true },
  };

  it('reports an advisory against electron itself', () => {
    const outcome = electronAdvisories(report({ electron: electron41 }));
    expect(outcome).toEqual({
      checked: true,
      electron: [expect.objectContaining({ name: 'electron', severity: 'high', url: 'https://github.com/advisories/GHSA-9f4c-93c8-jc8g' })],
      otherPackages: [],
    });
  });

  it('does not count other packages, nor electron listed only through a vulnerable dependency', () => {
    const outcome = electronAdvisories(
      report({
        got: { name: 'got', via: [{ name: 'got', title: 'redirect', severity: 'moderate' }] },
        electron: { name: 'electron', via: ['@electron/get'] },
      }),
    );
    expect(outcome).toEqual({ checked: true, electron: [], otherPackages: ['got'] });
  });

  it('says when nothing was checked (no network, an audit service that refuses)', () => {
    expect(electronAdvisories(JSON.stringify({ message: '405 Method Not Allowed', statusCode: 405 }))).toEqual({ checked: false, reason: '405 Method Not Allowed' });
    expect(electronAdvisories('')).toMatchObject({ checked: false });
  });
});

describe('the fuse check', () => {
  const wire = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges', 'WasmTrapHandlers'];

  it('lists every fuse with its value and finds nothing wrong with the chosen Electron', () => {
    const { lines, problems } = checkFuses(wire, wire.length);
    expect(lines).toHaveLength(wire.length);
    expect(lines[8]).toMatch(/WasmTrapHandlers\s+true/);
    expect(problems).toEqual([]);
  });

  it('fails on a binary with more fuses, or a fuses package that knows others', () => {
    expect(checkFuses(wire, wire.length + 1).problems).toEqual([expect.stringMatching(/binary has 10 fuses, after-pack\.cjs sets 9/)]);
    expect(checkFuses(wire.slice(0, 8)).problems).toEqual([expect.stringMatching(/@electron\/fuses knows/)]);
  });
});
