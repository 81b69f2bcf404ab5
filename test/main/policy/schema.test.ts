import { describe, expect, it } from 'vitest';
import { KIOSK_IDLE_TIMEOUT_SECONDS, NO_POLICY, parsePolicy, parsePolicyText } from '../../../main/policy/schema.ts';

describe('the policy schema', () => {
  it('a kiosk policy: its portal locked, the kiosk defaults (idle timeout, settings hidden, removable media only)', () => {
    const policy = parsePolicy({ kiosk: true, settings: { portalUrl: 'https://portal.gov.kz' }, languages: ['kk', 'ru'] }, '/etc/joldama/policy.json');
    expect(policy).toEqual({
      source: '/etc/joldama/policy.json',
      settings: { portalUrl: 'https://portal.gov.kz' },
      kiosk: true,
      languages: ['kk', 'ru'],
      idleTimeoutSeconds: KIOSK_IDLE_TIMEOUT_SECONDS,
      keySources: ['file', 'token'],
      loginMethods: ['certificate', 'password'],
      settingsHidden: true,
      removableMediaOnly: true,
      ncalayer: null,
      updates: false,
    });
  });

  it('updates: on unless the policy turns them off (off by default in a kiosk)', () => {
    expect(parsePolicy({}, 'x').updates).toBe(true);
    expect(parsePolicy({ updates: false }, 'x').updates).toBe(false);
    expect(parsePolicy({ kiosk: true, settings: { portalUrl: 'https://portal.gov.kz' } }, 'x').updates).toBe(false);
  });

  it('the NCALayer service: forced on or off, else the user decides', () => {
    expect(parsePolicy({ ncalayer: true }, 'x').ncalayer).toBe(true);
    expect(parsePolicy({ ncalayer: false }, 'x').ncalayer).toBe(false);
    expect(parsePolicy({}, 'x').ncalayer).toBeNull();
  });

  it('an empty policy locks nothing', () => {
    expect(parsePolicy({}, 'x')).toEqual({ ...NO_POLICY, source: 'x' });
  });

  it('each field as the administrator sets it, over the kiosk defaults', () => {
    const policy = parsePolicy(
      { kiosk: true, settings: { portalUrl: 'https://p.kz' }, idleTimeoutSeconds: 300, keySources: ['token'], loginMethods: ['certificate'], settingsHidden: false, removableMediaOnly: false },
      'x',
    );
    expect(policy).toMatchObject({ idleTimeoutSeconds: 300, keySources: ['token'], loginMethods: ['certificate'], settingsHidden: false, removableMediaOnly: false });
  });

  it.each([
    ['an unknown field (a misspelt lock)', { kiosks: true }, 'kiosks'],
    ['a kiosk without its portal', { kiosk: true }, 'settings.portalUrl'],
    ['a locked language it does not offer', { settings: { language: 'en' }, languages: ['kk', 'ru'] }, 'settings.language'],
    ['no language at all', { languages: [] }, 'languages'],
    ['a language twice', { languages: ['kk', 'kk'] }, 'languages'],
    ['an unknown key source', { keySources: ['cloud'] }, 'keySources'],
    ['an unknown login method', { loginMethods: ['sso'] }, 'loginMethods'],
    ['an idle timeout too short', { idleTimeoutSeconds: 5 }, 'idleTimeoutSeconds'],
    ['an idle timeout that is not whole seconds', { idleTimeoutSeconds: 60.5 }, 'idleTimeoutSeconds'],
    ['kiosk as a string', { kiosk: 'yes' }, 'kiosk'],
    ['a wrong settings type', { settings: { portalUrl: 42 } }, 'settings.portalUrl'],
    ['not an object', [1], '(policy)'],
  ])('refuses %s (POLICY_INVALID naming the field)', (_label, value, field) => {
    expect(() => parsePolicy(value, 'p.json')).toThrow(expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringContaining(field) }));
  });

  it('refuses text that is not JSON', () => {
    expect(() => parsePolicyText('{ kiosk: true', 'p.json')).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });
});
