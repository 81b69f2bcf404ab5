/**
 * «Менің жолдамаларым» (docs/cabinet.md, My referrals): every referral ever issued to the
 * applicant's applications, newest first, each with its application's documents (the documents
 * feature: the PDF, the signed request and the app's own check of it).
 */
import { useState } from 'react';
import type { ReferralListItem } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { formatDate, formatDeadline } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { kindergartenName } from '../../shared/place-names.ts';
import { QueryView } from '../../shared/QueryView.tsx';
import { DocumentsTab } from '../documents/DocumentsTab.tsx';
import { PageHeading } from '../../shared/PageHeading.tsx';

export function ReferralsScreen() {
  const { t } = useI18n();
  const referrals = useCall('cabinet.referrals', {});
  return (
    <section aria-labelledby="referrals-title">
      <PageHeading id="referrals-title" title={t.referrals.title} subtitle={t.referrals.intro} />
      <QueryView query={referrals} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.referrals.empty}</p>}>
        {(data) => (
          <ul className="referral-list">
            {data.items.map((r) => (
              <li key={r.id}>
                <ReferralCard referral={r} />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function ReferralCard({ referral: r }: { referral: ReferralListItem }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  const titleId = `referral-${r.id}`;
  return (
    <article className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{interpolate(t.referrals.application, { number: r.applicationNumber })}</h2>
      <dl className="facts">
        <dt>{t.referrals.child}</dt>
        <dd>{r.childName}</dd>
        <dt>{t.referrals.kindergarten}</dt>
        <dd>{kindergartenName(r, language)}</dd>
        <dt>{t.referrals.issuedAt}</dt>
        <dd>{formatDate(r.issuedAt)}</dd>
        {r.state === 'issued' && (
          <>
            <dt>{t.referrals.confirmBy}</dt>
            <dd>{formatDeadline(r.confirmBy)}</dd>
          </>
        )}
        <dt>{t.referrals.state}</dt>
        <dd>{t.referrals.states[r.state]}</dd>
      </dl>
      <button type="button" className="button secondary" aria-expanded={open} aria-controls={`${titleId}-documents`} onClick={() => setOpen(!open)}>
        {open ? t.referrals.hideDocuments : t.referrals.showDocuments}
      </button>
      <div id={`${titleId}-documents`} hidden={!open}>
        {open && <DocumentsTab applicationId={r.applicationId} applicationNumber={r.applicationNumber} />}
      </div>
    </article>
  );
}
