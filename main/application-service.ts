/**
 * The application wizard in main (docs/applications.md): the draft (kept on disk per applicant,
 * checked step by step), the contact codes and the benefit proof through the portal, and the
 * application signed with the applicant's SIGN key, as the referral request is
 * (referral-service.ts): main builds the document from its own draft, never from the window, and
 * signs exactly the document the review page showed.
 */
import { promises as fs } from 'node:fs';
import type { ApplicationDraft, ChildFacts, DraftIssue, KeyRef } from '../contract/contract.ts';
import { ApplicationDraftInput } from '../contract/contract.ts';
import { PROOF_MAX_BYTES, contactTarget, type ContactChannel } from '../protocol/application-api.ts';
import { buildApplicationXml, type ApplicationDocument } from '../protocol/signed-documents.ts';
import { childAgeFits } from '../protocol/child-age.ts';
import { iinBirthDate, iinSex, isValidIin } from '../signing/index.ts';
import type { ApplicationDraftStore } from './application-draft-store.ts';
import type { AuthService } from './auth-service.ts';
import { AppFailure } from './errors.ts';
import { keyPathProblem } from './key-path.ts';
import type { PortalClient } from './portal-client.ts';
import type { SigningService } from './signing-service.ts';
import { z } from 'zod';

export interface DraftState {
  draft: ApplicationDraft;
  issues: DraftIssue[];
  /** What the child's IIN says (shown next to it at step 2); absent until the IIN is valid. */
  child?: ChildFacts;
}

/** The portal's clock and the queue's school age: what the child's age is judged by. */
export interface AgeRule {
  now: Date;
  schoolAge: number;
}

/** The birth date (YYYY-MM-DD) and sex a valid IIN encodes. */
export function childFacts(iin: string | undefined): ChildFacts | undefined {
  if (!iin || !isValidIin(iin)) return undefined;
  const birthDate = iinBirthDate(iin);
  const sex = iinSex(iin);
  return birthDate && sex ? { birthDate: birthDate.toISOString().slice(0, 10), sex } : undefined;
}

const PHONE = /^\+77\d{9}$/;

/** Each step's problems in the draft (the portal checks them all again on the signed document). */
export function draftIssues(d: ApplicationDraft, applicantIin: string, age?: AgeRule): DraftIssue[] {
  const issues: DraftIssue[] = [];
  const add = (step: number, field: string, code: DraftIssue['code']) => issues.push({ step, field, code });
  if (!d.region) add(0, 'region', 'REQUIRED');
  if (!d.consents?.rules || !d.consents.personalData || !d.consents.contacts)
    add(0, 'consents', 'CONSENT_MISSING');
  // Step 1: a confirmed phone; a second phone and an e-mail are optional, confirmed when given.
  if (!d.phone) add(1, 'phone', 'REQUIRED');
  else if (!PHONE.test(d.phone)) add(1, 'phone', 'PHONE_INVALID');
  else if (d.confirmed.phone !== d.phone) add(1, 'phone', 'NOT_CONFIRMED');
  if (d.phone2 && !PHONE.test(d.phone2)) add(1, 'phone2', 'PHONE_INVALID');
  else if (d.phone2 && d.confirmed.phone2 !== d.phone2) add(1, 'phone2', 'NOT_CONFIRMED');
  if (d.email && !contactTarget.email.safeParse(d.email).success) add(1, 'email', 'EMAIL_INVALID');
  else if (d.email && d.confirmed.email !== d.email.toLowerCase()) add(1, 'email', 'NOT_CONFIRMED');
  // Step 2: the child (the parent is the logged-in applicant).
  if (!d.childIin) add(2, 'childIin', 'REQUIRED');
  else if (!isValidIin(d.childIin)) add(2, 'childIin', 'IIN_INVALID');
  else if (d.childIin === applicantIin) add(2, 'childIin', 'CHILD_IS_PARENT');
  else {
    // Without the portal's rule (offline) the portal still judges the age on the signed document.
    const born = iinBirthDate(d.childIin);
    if (age && born && !childAgeFits(born, age.now, age.schoolAge)) add(2, 'childIin', 'CHILD_AGE_OUT_OF_RANGE');
  }
  if (!d.childLastName?.trim()) add(2, 'childLastName', 'REQUIRED');
  if (!d.childFirstName?.trim()) add(2, 'childFirstName', 'REQUIRED');
  // Step 3: at least one organisation and the category.
  if (d.organisationIds.length === 0) add(3, 'organisationIds', 'REQUIRED');
  if (!d.category) add(3, 'category', 'REQUIRED');
  // Step 4: none, or a benefit with its kind and proof.
  if (!d.benefitType) add(4, 'benefitType', 'REQUIRED');
  else if (d.benefitType !== 'none') {
    if (!d.benefitKind) add(4, 'benefitKind', 'REQUIRED');
    if (!d.proof) add(4, 'proof', 'PROOF_MISSING');
  }
  // Step 5: the notification choice.
  if (d.notify === undefined) add(5, 'notify', 'REQUIRED');
  else if (d.notify && !d.notifySms && !d.notifyEmail) add(5, 'channels', 'CHANNEL_MISSING');
  if (d.notify && d.notifyEmail && !d.email) add(5, 'notifyEmail', 'REQUIRED');
  if (!d.notifyLanguage) add(5, 'notifyLanguage', 'REQUIRED');
  return issues;
}

export class ApplicationService {
  private previewed: { iin: string; xml: string } | null = null;
  /** From the portal's regions answer: its clock (as an offset from ours) and the school age. */
  private portalRule: { offsetMs: number; schoolAge: number } | null = null;

  constructor(
    private readonly auth: AuthService,
    private readonly portal: PortalClient,
    private readonly signing: SigningService,
    private readonly drafts: ApplicationDraftStore,
    /** The path to read for a proof path the window sent, or a refusal (the policy's removable-media fence). */
    private readonly proofPathToRead: (p: string) => Promise<string> = async (p) => p,
  ) {}

  async regions() {
    const answer = await this.portal.regions();
    this.portalRule = { offsetMs: Date.parse(answer.asOf) - Date.now(), schoolAge: answer.schoolAge };
    return answer;
  }

  services(region: string) {
    return this.portal.services(region);
  }

  organisations(filter: { language?: string; district?: string }) {
    return this.auth.authed((token) => this.portal.organisations(token, filter));
  }

  async draft(): Promise<DraftState> {
    const iin = this.iin();
    return this.state(iin, await this.drafts.get(iin));
  }

  /** The window's fields over the stored draft; a changed contact loses its confirmation, a new benefit type its proof. */
  async saveDraft(input: z.input<typeof ApplicationDraftInput>): Promise<DraftState> {
    const iin = this.iin();
    const fields = ApplicationDraftInput.parse(input);
    this.previewed = null;
    // Read, change and write in one turn of the draft's queue: a confirmation or a proof that main
    // stores at the same moment is kept, not overwritten by this save.
    const next = await this.drafts.update(iin, (stored) => ({
      ...fields,
      confirmed: stored.confirmed,
      ...(stored.proof && fields.benefitType !== 'none' ? { proof: stored.proof } : {}),
    }));
    return this.state(iin, next);
  }

  /** A shared computer's session end (session-wipe.ts): every draft on this computer goes. */
  async forgetAllDrafts(): Promise<void> {
    this.previewed = null;
    await this.drafts.discardAll();
  }

  async discardDraft(): Promise<void> {
    this.previewed = null;
    await this.drafts.discard(this.iin());
  }

  sendCode(channel: ContactChannel, target: string) {
    return this.auth.authed((token) => this.portal.sendContactCode(token, channel, target));
  }

  async confirmCode(channel: ContactChannel, target: string, code: string): Promise<DraftState> {
    await this.auth.authed((token) => this.portal.confirmContactCode(token, channel, target, code));
    const iin = this.iin();
    const spelled = channel === 'email' ? target.trim().toLowerCase() : target.trim();
    const next = await this.drafts.update(iin, (stored) => ({
      ...stored,
      [channel]: target.trim(),
      confirmed: { ...stored.confirmed, [channel]: spelled },
    }));
    return this.state(iin, next);
  }

  /** Reads at most PROOF_MAX_BYTES + 1 of a local file and uploads it; the portal judges its content. */
  async attachProof(file: string): Promise<DraftState> {
    if (keyPathProblem(file)) throw new AppFailure('KEY_PATH_REFUSED');
    const toRead = await this.proofPathToRead(file);
    let content: Buffer;
    try {
      const handle = await fs.open(toRead, 'r');
      try {
        const buffer = Buffer.alloc(PROOF_MAX_BYTES + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        content = buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch {
      throw new AppFailure('APPLY_PROOF_UNREADABLE');
    }
    if (content.length > PROOF_MAX_BYTES) throw new AppFailure('UPLOAD_TOO_LARGE');
    const filename = file.split(/[\\/]/).pop() ?? 'proof';
    const uploaded = await this.auth.authed((token) =>
      this.portal.uploadBenefitProof(token, filename, content),
    );
    const iin = this.iin();
    this.previewed = null;
    return this.state(iin, await this.drafts.update(iin, (stored) => ({ ...stored, proof: { ...uploaded, filename } })));
  }

  /**
   * The document main would sign, dated on the portal's clock, and its XML: the very text
   * signAndSubmit signs (the window shows it without building it: the XML code stays in main).
   */
  async preview(): Promise<{ document: ApplicationDocument; xml: string }> {
    const iin = this.iin();
    const draft = await this.drafts.get(iin);
    if (draftIssues(draft, iin, await this.ageRule()).length > 0) throw new AppFailure('APPLY_DRAFT_INCOMPLETE');
    const { asOf } = await this.regions();
    const document = toDocument(draft, iin, asOf);
    const xml = buildApplicationXml(document);
    this.previewed = { iin, xml };
    return { document, xml };
  }

  async signAndSubmit(ref: KeyRef, secret: string) {
    const iin = this.iin();
    const previewed = this.previewed;
    if (!previewed || previewed.iin !== iin) throw new AppFailure('APPLY_NOT_PREVIEWED');
    return this.auth.authed(async (token) => {
      const signedXml = await this.signing.withKey(ref, secret, { purpose: 'SIGN' }, (sign) => sign(previewed.xml));
      const result = await this.portal.submitApplication(token, signedXml);
      this.previewed = null;
      await this.drafts.discard(iin);
      return result;
    });
  }

  private iin(): string {
    const iin = this.auth.currentIin;
    if (!iin) throw new AppFailure('NOT_LOGGED_IN');
    return iin;
  }

  private async state(iin: string, draft: ApplicationDraft): Promise<DraftState> {
    const child = childFacts(draft.childIin);
    return { draft, issues: draftIssues(draft, iin, await this.ageRule()), ...(child ? { child } : {}) };
  }

  /** The portal's age rule, asked once; unknown while the portal cannot be reached. */
  private async ageRule(): Promise<AgeRule | undefined> {
    if (!this.portalRule) await this.regions().catch(() => undefined);
    const rule = this.portalRule;
    return rule ? { now: new Date(Date.now() + rule.offsetMs), schoolAge: rule.schoolAge } : undefined;
  }
}

const yesNo = (b: boolean | undefined): 'yes' | 'no' => (b ? 'yes' : 'no');

/** The signed document from a complete draft (draftIssues found nothing). */
export function toDocument(
  d: ApplicationDraft,
  applicantIin: string,
  requestedAt: string,
): ApplicationDocument {
  const benefit = d.benefitType ?? 'none';
  return {
    service: 'special_organisation',
    region: d.region ?? '',
    consentRules: yesNo(d.consents?.rules),
    consentPersonalData: yesNo(d.consents?.personalData),
    consentContacts: yesNo(d.consents?.contacts),
    phone: d.phone ?? '',
    ...(d.phone2 ? { phone2: d.phone2 } : {}),
    ...(d.email ? { email: d.email.toLowerCase() } : {}),
    applicantIin,
    childIin: d.childIin ?? '',
    childLastName: (d.childLastName ?? '').trim(),
    childFirstName: (d.childFirstName ?? '').trim(),
    ...(d.childMiddleName?.trim() ? { childMiddleName: d.childMiddleName.trim() } : {}),
    organisationIds: d.organisationIds.join(','),
    category: d.category ?? '',
    benefitType: benefit,
    ...(benefit !== 'none' && d.benefitKind ? { benefitKind: d.benefitKind } : {}),
    ...(benefit !== 'none' && d.proof
      ? { benefitProofId: d.proof.id, benefitProofSha256: d.proof.sha256 }
      : {}),
    notify: yesNo(d.notify),
    notifySms: yesNo(d.notify && d.notifySms),
    notifyEmail: yesNo(d.notify && d.notifyEmail),
    notifyLanguage: d.notifyLanguage ?? 'kk',
    requestedAt,
  };
}
