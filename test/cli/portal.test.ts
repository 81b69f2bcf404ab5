/** `joldama portal` option handling: bad input fails with an exit code and a clear message, before listening. */
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { portalOptions, registerPortalCommand, revocationNotice } from '../../cli/portal.ts';

async function run(args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  let code: number | undefined;
  const program = new Command('joldama').exitOverride();
  registerPortalCommand(program, (c) => {
    code = c;
  });
  const writes: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return { code, stderr: writes.join('') };
}

describe('joldama portal', () => {
  it('refuses a port that is not a number', async () => {
    const r = await run(['portal', '--port', 'eighty']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--port');
  });

  it('refuses a clock that is not an ISO-8601 instant', async () => {
    const r = await run(['portal', '--clock', 'tomorrow', '--data-dir', '/nonexistent/joldama-test']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Could not start the portal: --clock expects an ISO-8601 instant/);
  });

  it('refuses a priority ratio that is not a whole number from 2 to 100', async () => {
    for (const value of ['1', 'four', '2.5']) {
      const r = await run(['portal', '--priority-every', value]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('--priority-every');
    }
  });

  it('refuses PMPK reminder days that are not a whole number from 1 to 180', async () => {
    for (const value of ['0', '181', 'thirty', '2.5', '-3', '']) {
      const r = await run(['portal', '--pmpk-reminder-days', value]);
      expect(r.code, value).toBe(3);
      expect(r.stderr).toContain('--pmpk-reminder-days expects a whole number from 1 to 180');
    }
  });

  it('passes the queue settings given to the portal, and none when none is given (the defaults: 4 and 30)', () => {
    const base = { host: '127.0.0.1', crl: [], revocation: true };
    expect(portalOptions({ ...base, pmpkReminderDays: '45' }, {}).queue).toEqual({ pmpkReminderDays: 45 });
    expect(portalOptions({ ...base, pmpkReminderDays: '1', priorityEvery: '5' }, {}).queue).toEqual({ priorityEvery: 5, pmpkReminderDays: 1 });
    expect(portalOptions({ ...base, pmpkReminderDays: '180' }, {}).queue).toEqual({ pmpkReminderDays: 180 });
    expect(portalOptions(base, {}).queue).toBeUndefined();
  });

  it('refuses a --trust-proxy that would trust every address', async () => {
    const r = await run(['portal', '--trust-proxy', 'true']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--trust-proxy expects');
  });

  it('refuses a pool size that is not a number of connections', async () => {
    const r = await run(['portal', '--db-pool', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--db-pool expects');
  });

  it('refuses --crl together with --no-revocation', async () => {
    const r = await run(['portal', '--crl', 'demo.crl', '--no-revocation']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--crl and --no-revocation contradict');
  });

  it('announces revocation settings other than the default', () => {
    expect(revocationNotice({})).toBeNull();
    expect(revocationNotice({ revocation: false })).toMatch(/^WARNING: REVOCATION IS NOT CHECKED/);
    expect(revocationNotice({ crls: ['a.crl', 'b.crl'] })).toMatch(/CRL files given \(--crl\) alone[^]*a\.crl\n {2}b\.crl$/);
  });
});
