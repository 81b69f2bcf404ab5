/**
 * The steps the kiosk start screen shows (docs/kiosk.md): a key source or login method only when the
 * policy allows it, and the token step only when a token can actually be used here, that is when
 * main's keys.tokens answers (it says TOKENS_UNAVAILABLE when no token module is installed or the
 * binding cannot load).
 */
import type { PolicyView } from '../../../../contract/contract.ts';

export type KioskStep = 'file' | 'token' | 'key' | 'password' | 'end';

export function kioskSteps(policy: Pick<PolicyView, 'keySources' | 'loginMethods'>, tokensAvailable: boolean): KioskStep[] {
  const steps: KioskStep[] = [];
  if (policy.keySources.includes('file')) steps.push('file');
  if (policy.keySources.includes('token') && tokensAvailable) steps.push('token');
  if (policy.loginMethods.includes('certificate')) steps.push('key');
  if (policy.loginMethods.includes('password')) steps.push('password');
  steps.push('end');
  return steps;
}
