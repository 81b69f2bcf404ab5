/**
 * What a certificate may be used for, per the NCA profile (shared/design/domain.md).
 * TODO(keys engineer): replace with `purposesOf` from signing/certificate-profile.ts once it lands,
 * so the rule lives in one place.
 */
import type { X509Certificate } from 'node:crypto';
import type { Purpose } from '../types.ts';
import { extensionsOf } from './certificates.ts';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const POLICY_AUTH = ['1.2.398.3.3.2.4', '1.2.398.3.3.2.2'];
const POLICY_SIGN = ['1.2.398.3.3.2.3', '1.2.398.3.3.2.1'];

export function purposesOfCertificate(cert: X509Certificate): Purpose[] {
  const ext = extensionsOf(cert);
  const eku = ext.extKeyUsage ?? [];
  const ku = ext.keyUsage ?? [];
  const purposes: Purpose[] = [];
  const authByProfile = eku.includes(CLIENT_AUTH) || ext.policies.some((p) => POLICY_AUTH.includes(p));
  if (authByProfile && ku.includes('digitalSignature')) purposes.push('AUTH');
  const signByProfile =
    eku.includes(EMAIL_PROTECTION) || ku.includes('nonRepudiation') || ext.policies.some((p) => POLICY_SIGN.includes(p));
  if (signByProfile && (ku.length === 0 || ku.includes('digitalSignature') || ku.includes('nonRepudiation'))) {
    purposes.push('SIGN');
  }
  return purposes;
}
