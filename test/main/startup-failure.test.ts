import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../main/errors.ts';
import { startupFailureText } from '../../main/startup-failure.ts';

describe('the error box when the app refuses to start', () => {
  it('names the code, says what to do in kk, ru and en, and gives the reason', () => {
    const text = startupFailureText(new AppFailure('POLICY_INSECURE', '/etc/joldama/policy.json is not used: it is writable by its group or by everyone (mode 664)'));
    expect(text).toContain('Joldama cannot start (POLICY_INSECURE)');
    expect(text).toContain('Әкімші саясатын');
    expect(text).toContain('Политику администратора');
    expect(text).toContain('fix its owner and permissions');
    expect(text).toContain('/etc/joldama/policy.json is not used: it is writable by its group or by everyone (mode 664)');
  });

  it("does not show an unexpected error's message", () => {
    const text = startupFailureText(new Error('password=hunter2'));
    expect(text).toContain('INTERNAL_ERROR');
    expect(text).not.toContain('hunter2');
  });
});
