/**
 * The `ipcMain.handle(IPC_CHANNEL, ...)` handler, without Electron: only the top frame showing
 * app://joldama may call; everything else about the call is dispatch's job.
 */
import type { Result } from '../contract/contract.ts';
import type { Dispatch } from './dispatch.ts';
import { isTrustedSender } from './window-options.ts';

export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export function createIpcHandler(dispatch: Dispatch) {
  return async (event: IpcEventLike, name: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
    return dispatch(name, input);
  };
}
