/**
 * The referral request: built in main from the portal's own data (application card + the chosen
 * offer), so a renderer cannot make main sign content of its choosing; signed with a SIGN key
 * (validity and purpose checked locally first) and submitted with an idempotency key.
 *
 * A submission whose answer is lost (PORTAL_UNREACHABLE, the portal busy with it) keeps its signed
 * request and idempotency key: `retry` sends the very same request again, and signing again for
 * the same offer reuses the key, so neither can make a second referral. A refusal drops it.
 *
 * A place that has left the application's list between the preview (the user saw and confirmed
 * it) and the signing is still asked for, with the previewed content: the portal then says why
 * (PLACE_TAKEN, OFFER_NOT_ACTIVE, ...) instead of main guessing.
 */
import { randomUUID } from 'node:crypto';
import { buildReferralRequestXml } from '../protocol/signed-documents.ts';
import type { ReferralResult } from '../protocol/portal-api.ts';
import type { KeyRef, ReferralDocument } from '../contract/contract.ts';
import type { AuthService } from './auth-service.ts';
import { AppFailure } from './errors.ts';
import type { PortalClient } from './portal-client.ts';
import type { SigningService } from './signing-service.ts';

export type Timing = { step: string; ms: number };
export interface SubmittedReferral {
  referral: ReferralResult;
  /** Where the time went: prepare, openKey, sign, submit, then the portal's own steps as portal.<step>. */
  timings: Timing[];
}

interface Pending {
  signedXml: string;
  idempotencyKey: string;
}

/** Failures after which the portal may have the request (or will take it on a second try). */
const ANSWER_LOST = new Set(['PORTAL_UNREACHABLE', 'SUBMISSION_IN_PROGRESS']);
/** Application states in which the referral has been issued already. */
const REFERRAL_DONE = new Set(['referral_issued', 'enrolled']);
const MAX_PENDING = 20;

export class ReferralService {
  private readonly pending = new Map<string, Pending>();
  private readonly previewed = new Map<string, ReferralDocument>();

  constructor(
    private readonly auth: AuthService,
    private readonly portal: PortalClient,
    private readonly signing: SigningService,
  ) {}

  preview(applicationId: string, offerId: string): Promise<ReferralDocument> {
    return this.auth.authed(async (token) => {
      const document = await this.buildDocument(token, applicationId, offerId);
      remember(this.previewed, this.pendingKey(applicationId, offerId), document);
      return document;
    });
  }

  async signAndSubmit(applicationId: string, offerId: string, ref: KeyRef, secret: string): Promise<SubmittedReferral> {
    return this.auth.authed(async (token) => {
      const timer = stopwatch();
      const key = this.pendingKey(applicationId, offerId);
      const document = await this.buildDocument(token, applicationId, offerId).catch((e: unknown) => {
        const seen = this.previewed.get(key);
        if (!(e instanceof AppFailure && e.code === 'REFERRAL_OFFER_NOT_FOUND') || !seen) throw e;
        // As previewed, dated by the portal's clock then (it refuses a request older than its window).
        return seen;
      });
      timer.lap('prepare');
      const signedXml = await this.signing.withKey(ref, secret, { purpose: 'SIGN' }, async (sign) => {
        timer.lap('openKey');
        return sign(buildReferralRequestXml(document));
      });
      timer.lap('sign');
      const pending = { signedXml, idempotencyKey: this.pending.get(key)?.idempotencyKey ?? randomUUID() };
      remember(this.pending, key, pending);
      return this.submit(token, key, applicationId, pending, timer);
    });
  }

  /** Sends the kept request of a submission whose answer was lost; REFERRAL_NOTHING_TO_RETRY without one. */
  async retry(applicationId: string, offerId: string): Promise<SubmittedReferral> {
    return this.auth.authed(async (token) => {
      const key = this.pendingKey(applicationId, offerId);
      const pending = this.pending.get(key);
      if (!pending) throw new AppFailure('REFERRAL_NOTHING_TO_RETRY');
      return this.submit(token, key, applicationId, pending, stopwatch());
    });
  }

  private async submit(token: string, key: string, applicationId: string, pending: Pending, timer: Stopwatch): Promise<SubmittedReferral> {
    try {
      const { referral, timings } = await this.portal.submitReferral(token, applicationId, pending.signedXml, pending.idempotencyKey);
      timer.lap('submit');
      this.pending.delete(key);
      return { referral, timings: [...timer.laps, ...timings.map((t) => ({ step: `portal.${t.step}`, ms: t.ms }))] };
    } catch (e) {
      if (!(e instanceof AppFailure && ANSWER_LOST.has(e.code))) this.pending.delete(key);
      throw e;
    }
  }

  /** Per person and offer: a retry after logging in again (or as someone else) finds only its own. */
  private pendingKey(applicationId: string, offerId: string): string {
    return `${this.auth.currentIin ?? ''}/${applicationId}/${offerId}`;
  }

  private async buildDocument(token: string, applicationId: string, offerId: string): Promise<ReferralDocument> {
    const [card, vacancies] = await Promise.all([
      this.portal.application(token, applicationId),
      this.portal.vacancies(token, applicationId),
    ]);
    if (REFERRAL_DONE.has(card.application.status)) throw new AppFailure('REFERRAL_ALREADY_ISSUED');
    const vacancy = vacancies.items.find((v) => v.offerId === offerId);
    if (!vacancy) throw new AppFailure('REFERRAL_OFFER_NOT_FOUND');
    return {
      applicationNumber: card.application.number,
      applicationId: card.id,
      offerId: vacancy.offerId,
      kindergartenId: vacancy.kindergartenId,
      kindergartenName: vacancy.name,
      kindergartenAddress: vacancy.address,
      language: vacancy.language,
      childIin: card.child.iin,
      applicantIin: card.applicant.iin,
      // The portal's time, not this computer's: the portal refuses a request dated far from its clock.
      requestedAt: vacancies.asOf,
    };
  }
}

/** Set `key` as the newest entry of a small map, dropping the oldest past MAX_PENDING. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= MAX_PENDING) break;
    map.delete(oldest);
  }
}

interface Stopwatch {
  laps: Timing[];
  lap(step: string): void;
}

function stopwatch(): Stopwatch {
  let mark = performance.now();
  const laps: Timing[] = [];
  return {
    laps,
    lap(step) {
      const now = performance.now();
      laps.push({ step, ms: Math.round((now - mark) * 10) / 10 });
      mark = now;
    },
  };
}
