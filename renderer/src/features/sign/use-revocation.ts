/**
 * A listed key's revocation status, asked of main when the list is shown: "checking" until it
 * answers, then good / revoked / unknown / untrusted. Cached for ten minutes per certificate (main
 * also caches the OCSP answers), so reopening the dialog shows the status at once.
 */
import type { KeyDetails } from '../../../../contract/contract.ts';
import { useCall } from '../../app/api.tsx';
import type { RevocationState } from './key-rules.ts';

const TEN_MINUTES = 10 * 60_000;

export function useRevocation(key: KeyDetails | null): RevocationState {
  const query = useCall(
    'keys.revocation',
    { fingerprintSha256: key?.fingerprintSha256 ?? '' },
    // Expired keys need no check: their status already says they cannot be used.
    { enabled: key !== null && key.status === 'valid', staleTime: TEN_MINUTES, gcTime: TEN_MINUTES },
  );
  if (!key || key.status !== 'valid') return 'unknown';
  if (query.isPending) return 'checking';
  return query.isError ? 'unknown' : query.data.status;
}
