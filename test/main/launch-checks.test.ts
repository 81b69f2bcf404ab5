import { describe, expect, it } from 'vitest';
import { refusedSwitch } from '../../main/launch-checks.ts';

describe('switches a packaged build refuses', () => {
  const none = () => false;
  it.each([
    [['--remote-debugging-port=9222'], 'remote-debugging-port'],
    [['--remote-debugging-port', '9222'], 'remote-debugging-port'],
    [['-remote-debugging-port=9222'], 'remote-debugging-port'],
    [['/remote-debugging-pipe'], 'remote-debugging-pipe'],
    [['--remote-debugging-pipe'], 'remote-debugging-pipe'],
    [['--remote-debugging-portal'], null],
    [['app.asar', '--lang=kk'], null],
  ])('%j → %s', (argv, found) => {
    expect(refusedSwitch({ packaged: true, argv, hasSwitch: none })).toBe(found);
  });

  it("also asks Chromium's own parse of the command line", () => {
    expect(refusedSwitch({ packaged: true, argv: [], hasSwitch: (name) => name === 'remote-debugging-pipe' })).toBe('remote-debugging-pipe');
  });

  it('lets a developer (unpackaged) use them', () => {
    expect(refusedSwitch({ packaged: false, argv: ['--remote-debugging-port=9222'], hasSwitch: () => true })).toBeNull();
  });
});
