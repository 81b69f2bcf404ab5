import { describe, expect, it, vi } from 'vitest';
import { createIpcHandler } from '../../main/ipc-handler.ts';

describe('IPC handler', () => {
  const dispatch = vi.fn(async () => ({ ok: true as const, value: 'dispatched' }));
  const handle = createIpcHandler(dispatch);

  it('dispatches calls from the app top frame', async () => {
    expect(await handle({ senderFrame: { url: 'app://joldama/index.html', parent: null } }, 'app.info', {})).toEqual({
      ok: true,
      value: 'dispatched',
    });
    expect(dispatch).toHaveBeenCalledWith('app.info', {});
  });

  it.each([
    ['a sub-frame of the app', { url: 'app://joldama/index.html', parent: {} }],
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }],
    ['a destroyed frame', null],
  ])('refuses %s with FORBIDDEN_SENDER without dispatching', async (_label, senderFrame) => {
    dispatch.mockClear();
    expect(await handle({ senderFrame }, 'auth.login', { ref: { kind: 'file', path: '/k', index: 0 }, secret: 'x' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(dispatch).not.toHaveBeenCalled();
  });
});
