/**
 * Certificate login (challenge-response): the signed login document must verify, name a known,
 * unexpired and unused challenge and the portal's own origin, carry a timestamp within the
 * window of login-timestamp.ts (portal clock), and be signed with a trusted, valid,
 * unrevoked AUTH certificate: an individual's for applicants (checkCertificateLogin), a
 * kindergarten's legal-entity key for staff (checkStaffLogin). Each refusal has its own code.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { SignerDetails, SubIndication, VerificationReport } from '../../signing/index.ts';
import { parseLoginXml } from '../../protocol/signed-documents.ts';
import { Refusal } from '../refusal.ts';
import { formatRefusal } from '../signed-requests.ts';
import { ADMIN_LOGIN_REFUSALS, APPLICANT_LOGIN_REFUSALS, LOGIN_DOCUMENT_REFUSALS, STAFF_LOGIN_REFUSALS } from '../../protocol/refusals.ts';
import { burnChallenge } from './challenges.ts';
import { isLoginTimestampInWindow } from './login-timestamp.ts';

type LoginDocumentRefusal = (typeof LOGIN_DOCUMENT_REFUSALS)[number];
export type LoginRefusal =
  | (typeof APPLICANT_LOGIN_REFUSALS)[number]
  | (typeof STAFF_LOGIN_REFUSALS)[number]
  | (typeof ADMIN_LOGIN_REFUSALS)[number];

const MESSAGES: Record<LoginRefusal, string> = {
  AUTH_BAD_SIGNATURE: 'The login signature does not verify.',
  AUTH_UNSUPPORTED_ALGORITHM:
    'The login is signed with an algorithm the portal cannot check (GOST); sign in with your RSA key (AUTH_RSA256_...).',
  AUTH_CHALLENGE_REPLAYED: 'This login challenge has already been used; request a new one.',
  AUTH_CHALLENGE_EXPIRED: 'The login challenge has expired; request a new one.',
  AUTH_CHALLENGE_UNKNOWN: 'The login challenge was not issued by this portal.',
  AUTH_WRONG_ORIGIN: 'The login document was signed for another site.',
  AUTH_TIMESTAMP_OUT_OF_RANGE:
    "The login document's time is too far from the portal's clock; check the computer's date, time and time zone.",
  AUTH_UNTRUSTED: 'The certificate was not issued by a trusted certification authority.',
  AUTH_CERT_EXPIRED: 'The certificate has expired.',
  AUTH_CERT_NOT_YET_VALID: 'The certificate is not yet valid.',
  AUTH_CERT_REVOKED: 'The certificate has been revoked.',
  AUTH_WRONG_PURPOSE: 'Log in with an authentication (AUTH) key, not a signing key.',
  AUTH_REVOCATION_UNKNOWN: 'The certificate status could not be checked; try again later.',
  AUTH_NOT_INDIVIDUAL: 'Log in with the certificate of an individual (IIN).',
  AUTH_NOT_STAFF: "Staff log in with the organisation's key (BIN) of its head, a person with the right to sign, or an employee.",
  AUTH_UNKNOWN_ORGANIZATION: 'The organisation of this key is not a kindergarten or a PMPK commission known to the portal.',
  AUTH_NOT_ADMIN: "Administrators log in with the key (BIN) of an organisation the portal's configuration names as its administrator, as its head, a person with the right to sign, or an employee.",
};

export function loginRefused(code: LoginRefusal): Refusal {
  return new Refusal(code, MESSAGES[code]);
}

/** Verification report subIndications that are about the certificate, not the signature bytes. */
const CERTIFICATE_REFUSALS: Partial<Record<SubIndication, LoginDocumentRefusal>> = {
  NO_CERTIFICATE_CHAIN_FOUND: 'AUTH_UNTRUSTED',
  CHAIN_CONSTRAINTS_FAILURE: 'AUTH_UNTRUSTED',
  EXPIRED: 'AUTH_CERT_EXPIRED',
  NOT_YET_VALID: 'AUTH_CERT_NOT_YET_VALID',
  REVOKED: 'AUTH_CERT_REVOKED',
  WRONG_PURPOSE: 'AUTH_WRONG_PURPOSE',
  TRY_LATER: 'AUTH_REVOCATION_UNKNOWN',
};

export interface LoginCheck {
  db: Kysely<DB>;
  origin: string;
  now: Date;
  /** verifyXml bound to the portal's trust store and revocation settings, for purpose AUTH. */
  verify: (xml: string) => Promise<VerificationReport>;
}

/** Returns the signer (an individual with an IIN) or throws a Refusal with a login refusal code. */
export async function checkCertificateLogin(signedXml: string, c: LoginCheck): Promise<SignerDetails & { iin: string }> {
  const signer = await checkLoginDocument(signedXml, c);
  if (!signer.iin || signer.bin) throw loginRefused('AUTH_NOT_INDIVIDUAL');
  return { ...signer, iin: signer.iin };
}

/** Legal-entity roles that may act for a kindergarten (not the bare organisation key). */
const STAFF_ROLES = new Set(['head', 'right_to_sign', 'employee']);

export type StaffSigner = SignerDetails & {
  iin: string;
  bin: string;
} & ({ kindergartenId: number } | { commissionId: number });

/**
 * Returns the signer (a person acting for a kindergarten or a PMPK commission in the database,
 * docs/pmpk.md Staff) or throws a login refusal.
 */
export async function checkStaffLogin(signedXml: string, c: LoginCheck): Promise<StaffSigner> {
  const signer = await checkLoginDocument(signedXml, c);
  if (!signer.iin || !signer.bin || !signer.role || !STAFF_ROLES.has(signer.role)) throw loginRefused('AUTH_NOT_STAFF');
  const person = { ...signer, iin: signer.iin, bin: signer.bin };
  const kg = await c.db.selectFrom('kindergartens').select('id').where('bin', '=', signer.bin).executeTakeFirst();
  if (kg) return { ...person, kindergartenId: kg.id };
  const commission = await c.db.selectFrom('pmpk_commissions').select('id').where('bin', '=', signer.bin).executeTakeFirst();
  if (commission) return { ...person, commissionId: commission.id };
  throw loginRefused('AUTH_UNKNOWN_ORGANIZATION');
}

export interface AdminSigner extends SignerDetails {
  iin: string;
  bin: string;
}

/**
 * Returns the signer (a person acting for an organisation named in `adminBins`, e.g. the city's
 * education department) or throws a login refusal (docs/domain.md "Working days": who confirms the calendar).
 */
export async function checkAdminLogin(signedXml: string, c: LoginCheck, adminBins: ReadonlySet<string>): Promise<AdminSigner> {
  const signer = await checkLoginDocument(signedXml, c);
  if (!signer.iin || !signer.bin || !signer.role || !STAFF_ROLES.has(signer.role) || !adminBins.has(signer.bin)) {
    throw loginRefused('AUTH_NOT_ADMIN');
  }
  return { ...signer, iin: signer.iin, bin: signer.bin };
}

/** The shared checks refuse only with LOGIN_DOCUMENT_REFUSALS (each login's list builds on it). */
const documentRefused = (code: LoginDocumentRefusal): Refusal => loginRefused(code);

/** The checks every certificate login shares: signature, challenge (burnt once), origin, certificate, AUTH purpose. */
async function checkLoginDocument(signedXml: string, c: LoginCheck): Promise<SignerDetails> {
  const report = await c.verify(signedXml);
  const badFormat = formatRefusal(report);
  if (badFormat) throw badFormat;
  // A GOST signature (or a GOST certificate in the path) cannot be checked: say so, not "does not verify".
  if (report.subIndication === 'UNSUPPORTED_ALGORITHM') throw documentRefused('AUTH_UNSUPPORTED_ALGORITHM');
  if (report.signedXml === undefined || !report.signer) throw documentRefused('AUTH_BAD_SIGNATURE');
  const certRefusal = report.subIndication ? CERTIFICATE_REFUSALS[report.subIndication] : undefined;
  if (report.indication !== 'TOTAL_PASSED' && !certRefusal) throw documentRefused('AUTH_BAD_SIGNATURE');

  // Act on what the signature covered only.
  const login = parseLoginXml(report.signedXml);
  const burnt = await burnChallenge(c.db, login.nonce, c.now);
  if (burnt === 'unknown') throw documentRefused('AUTH_CHALLENGE_UNKNOWN');
  if (burnt === 'replayed') throw documentRefused('AUTH_CHALLENGE_REPLAYED');
  if (burnt === 'expired') throw documentRefused('AUTH_CHALLENGE_EXPIRED');
  if (login.origin !== c.origin) throw documentRefused('AUTH_WRONG_ORIGIN');
  if (!isLoginTimestampInWindow(login.timestamp, c.now)) throw documentRefused('AUTH_TIMESTAMP_OUT_OF_RANGE');
  if (certRefusal) throw documentRefused(certRefusal);

  const signer = report.signer;
  if (!signer.purposes.includes('AUTH')) throw documentRefused('AUTH_WRONG_PURPOSE');
  return signer;
}
