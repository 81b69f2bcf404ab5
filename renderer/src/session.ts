/**
 * Session lapse: whatever call the user was making, SESSION_EXPIRED (or NOT_LOGGED_IN) sends the
 * app back to login. This wraps the API once so no screen has to remember the rule.
 */
import {
  apiFromCall,
  type CallInput,
  type CallOutput,
  type ContractCall,
  type JoldamaApi,
  type Result,
} from '../../contract/contract.ts';
import { isSessionLapse } from './errors.ts';

/** Calls made before or while signing in: their "not logged in" answers are expected, not a lapse. */
const SIGN_IN_CALLS: ReadonlySet<ContractCall> = new Set<ContractCall>(['auth.session', 'auth.login', 'auth.logout']);

export function withSessionGuard(api: JoldamaApi, onLapse: () => void): JoldamaApi {
  return apiFromCall(async <K extends ContractCall>(name: K, input: CallInput<K>) => {
    const call = api[name] as unknown as (i: CallInput<K>) => Promise<Result<CallOutput<K>>>;
    const result = await call(input);
    if (!result.ok && !SIGN_IN_CALLS.has(name) && isSessionLapse(result.error.code)) onLapse();
    return result;
  });
}
