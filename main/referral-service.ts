/**
 * The referral request: built in main from the portal's own data (application card + the chosen
 * offer), so a renderer cannot make main sign content of its choosing; signed with a SIGN key
 * (validity and purpose checked locally first) and submitted with an idempotency key.
 */
import { randomUUID } from 'node:crypto';
import { buildReferralRequestXml } from '../protocol/signed-documents.ts';
import type { ReferralDocument } from '../contract/contract.ts';
import type { AuthService } from './auth-service.ts';
import { AppFailure } from './errors.ts';
import type { PortalClient } from './portal-client.ts';
import type { SigningService } from './signing-service.ts';

export class ReferralService {
  constructor(
    private readonly auth: AuthService,
    private readonly portal: PortalClient,
    private readonly signing: SigningService,
  ) {}

  preview(applicationId: string, offerId: string): Promise<ReferralDocument> {
    return this.auth.authed((token) => this.buildDocument(token, applicationId, offerId));
  }

  async signAndSubmit(applicationId: string, offerId: string, file: string, keyIndex: number, password: string) {
    return this.auth.authed(async (token) => {
      const document = await this.buildDocument(token, applicationId, offerId);
      const signedXml = await this.signing.withKey(file, keyIndex, password, { purpose: 'SIGN' }, (sign) =>
        sign(buildReferralRequestXml(document)),
      );
      return this.portal.submitReferral(token, applicationId, signedXml, randomUUID());
    });
  }

  private async buildDocument(token: string, applicationId: string, offerId: string): Promise<ReferralDocument> {
    const [card, vacancies] = await Promise.all([
      this.portal.application(token, applicationId),
      this.portal.vacancies(token, applicationId),
    ]);
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
