/**
 * The cabinet's first screen: the applicant as the portal names them, a live offer first (deadline,
 * working days left, "Choose a correctional kindergarten"), the journal, and the support contacts
 * from the portal's configuration.
 */
import type { LiveOffer } from '../../../../protocol/portal-api.ts';
import type { User } from '../../../../contract/contract.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { formatDeadline } from '../../format.ts';
import { kindergartenName } from '../../shared/place-names.ts';
import { ProvisionalDeadline } from '../../shared/ProvisionalDeadline.tsx';
import { interpolate } from '../../i18n/index.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { CabinetSections } from './CabinetSections.tsx';
import { SupportContacts } from './SupportContacts.tsx';
import { PageHeading } from '../../shared/PageHeading.tsx';

export function HomeScreen({ user }: { user: User }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const offers = useCall('cabinet.offers', {});
  return (
    <section className="home" aria-labelledby="home-title">
      <PageHeading
        id="home-title"
        eyebrow={t.cabinet.title}
        title={interpolate(t.cabinet.greeting, { name: user.commonName })}
        subtitle={
          <>
            {interpolate(t.cabinet.iinLine, { iin: user.iin })}
            {user.email && <> · {interpolate(t.cabinet.emailLine, { email: user.email })}</>}
          </>
        }
      />

      <QueryView query={offers} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.cabinet.noOffer}</p>}>
        {(data) => (
          <ul className="offer-list">
            {data.items.map((offer) => (
              <li key={offer.offerId}>
                <OfferCard offer={offer} onChoose={() => navigate({ name: 'vacancies', applicationId: offer.applicationId })} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>

      <div className="home-grid">
        <section className="card" aria-labelledby="home-journal">
          <h2 id="home-journal">{t.journal.title}</h2>
          <p className="muted">{t.cabinet.journalText}</p>
          <button type="button" className="button primary" onClick={() => navigate({ name: 'journal' })}>
            {t.cabinet.openJournal}
          </button>{' '}
          <button type="button" className="button secondary" data-action="new-application" onClick={() => navigate({ name: 'apply' })}>
            {t.apply.newApplication}
          </button>
        </section>
        <CabinetSections />
        <SupportContacts />
      </div>
    </section>
  );
}

function OfferCard({ offer, onChoose }: { offer: LiveOffer; onChoose: () => void }) {
  const { t, language } = useI18n();
  const deadline = offer.expiresAt ? formatDeadline(offer.expiresAt) : '';
  return (
    <article className="offer-card" aria-labelledby={`offer-${offer.offerId}`}>
      <h2 id={`offer-${offer.offerId}`}>{t.cabinet.offerTitle}</h2>
      <p>
        {interpolate(t.cabinet.offerText, {
          child: offer.childName,
          number: offer.applicationNumber,
          kindergarten: kindergartenName(offer, language),
          deadline,
        })}
      </p>
      {offer.workingDaysLeft !== null && (
        <p className="offer-deadline">
          <strong>{interpolate(t.offer.deadline, { date: deadline })}</strong> · {plural(language, t.plurals.workingDaysLeft, offer.workingDaysLeft)}
        </p>
      )}
      <ProvisionalDeadline provisional={offer.deadlineProvisional} />
      <button type="button" className="button primary" onClick={onChoose}>
        {t.cabinet.chooseKindergarten}
      </button>
    </article>
  );
}
