/** «Өтініш туралы ақпарат»: the applicant, child and application blocks with every field the seed lists. */
import { useState, type ReactNode } from 'react';
import type { ApplicationCard } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { formatDate, formatDateTime, formatDeadline } from '../../format.ts';
import { kindergartenName } from '../../shared/place-names.ts';
import { ProvisionalDeadline } from '../../shared/ProvisionalDeadline.tsx';
import { interpolate } from '../../i18n/index.ts';
import { benefitName, categoryName, queueTypeName, statusName } from '../../i18n/names.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ExaminationBox } from '../pmpk/ExaminationBox.tsx';
import { DequeueDialog } from './DequeueDialog.tsx';

const CHOOSING = new Set(['in_queue', 'notification_sent']);

export function InfoTab({ card }: { card: ApplicationCard }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [dequeueOpen, setDequeueOpen] = useState(false);
  // The choose button shows only when there are places for this application (its turn, or free choice).
  const places = useCall('cabinet.vacancies', { applicationId: card.id }, { enabled: CHOOSING.has(card.application.status) });
  const canChoose = (places.data?.items.length ?? 0) > 0;
  const a = t.application;
  const none = a.notGiven;
  const date = (v: string | null) => (v ? formatDate(v) : none);
  const text = (v: string | number | null) => (v === null || v === '' ? none : String(v));
  const { applicant, child, application, offer } = card;
  const decided = `${t.statuses.decisionMade} (${statusName(t, application.status)})`;

  return (
    <>
      {offer && (
        <div className="offer-box" role="region" aria-label={a.offerTitle}>
          <h2>{a.offerTitle}</h2>
          <p>{interpolate(a.offerText, { kindergarten: kindergartenName(offer, language), deadline: offer.expiresAt ? formatDeadline(offer.expiresAt) : '' })}</p>
          {offer.workingDaysLeft !== null && <p className="offer-deadline">{plural(language, t.plurals.workingDaysLeft, offer.workingDaysLeft)}</p>}
          <ProvisionalDeadline provisional={offer.deadlineProvisional} />
        </div>
      )}
      <div className="info-blocks">
        <Block title={a.applicantBlock}>
          <Field label={a.fullName} value={applicant.fullName} />
          <Field label={a.iin} value={applicant.iin} />
          <Field label={a.birthDate} value={date(applicant.birthDate)} />
          <Field label={a.phone} value={text(applicant.phone)} />
          <Field label={a.email} value={text(applicant.email)} />
          <Field label={a.address} value={text(applicant.address)} />
          <Field label={a.actualAddress} value={text(applicant.actualAddress)} />
        </Block>
        <Block title={a.childBlock}>
          <Field label={a.fullName} value={child.fullName} />
          <Field label={a.iin} value={child.iin} />
          <Field label={a.birthDate} value={date(child.birthDate)} />
          <Field label={a.benefitType} value={benefitName(t, child.benefitType) || none} />
          <Field label={a.queueNumber} value={text(child.queueNumber)} />
          <Field label={a.benefitQueueNumber} value={text(child.benefitQueueNumber)} />
        </Block>
        <Block title={a.applicationBlock}>
          <Field label={a.queueType} value={queueTypeName(t, application.queueType)} />
          <Field label={a.category} value={categoryName(t, application.category) || none} />
          <Field label={a.number} value={application.number} />
          <Field label={a.registeredAt} value={formatDateTime(application.registeredAt)} />
          <Field label={a.zupNumber} value={text(application.zupNumber)} />
          <Field label={a.tsonNumber} value={text(application.tsonNumber)} />
          <Field label={a.status} value={decided} />
          <Field label={a.statusChangedAt} value={application.statusChangedAt ? formatDateTime(application.statusChangedAt) : none} />
          <Field label={a.extraEmail} value={text(application.extraEmail)} />
          <Field label={a.extraPhone} value={text(application.extraPhone)} />
          <Field label={a.region} value={text(application.region)} />
        </Block>
      </div>
      <ExaminationBox card={card} />
      <div className="page-actions">
        {card.canDequeue && (
          <button type="button" className="button danger-outline" onClick={() => setDequeueOpen(true)}>
            {a.dequeue}
          </button>
        )}
        {canChoose && (
          <button type="button" className="button primary" onClick={() => navigate({ name: 'vacancies', applicationId: card.id })}>
            {a.choose}
          </button>
        )}
      </div>
      {CHOOSING.has(application.status) && !canChoose && <p className="muted small">{a.chooseHint}</p>}
      <p className="muted small">{a.enrolledNote}</p>
      {dequeueOpen && <DequeueDialog applicationId={card.id} onClose={() => setDequeueOpen(false)} />}
    </>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card info-block" aria-label={title}>
      <h2>{title}</h2>
      <dl className="details">{children}</dl>
    </section>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div className="details-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
