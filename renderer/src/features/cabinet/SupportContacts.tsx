/** Call centre, support e-mail and the education department's phones, as the portal's configuration gives them. */
import { useCall } from '../../app/api.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';

export function SupportContacts() {
  const { t } = useI18n();
  const info = useCall('portal.info', {}, { staleTime: Infinity });
  return (
    <section className="card support" aria-labelledby="support-title">
      <h2 id="support-title">{t.cabinet.supportTitle}</h2>
      <QueryView
        query={info}
        isEmpty={({ support }) => support.callCentre.length + support.educationDepartment.length === 0 && !support.email}
        empty={<p className="muted">{t.cabinet.noSupport}</p>}
      >
        {({ support }) => (
          <dl className="details">
            {support.callCentre.length > 0 && (
              <div className="details-row">
                <dt>{t.cabinet.callCentre}</dt>
                <dd>{support.callCentre.join(', ')}</dd>
              </div>
            )}
            {support.email && (
              <div className="details-row">
                <dt>{t.cabinet.supportEmail}</dt>
                <dd>
                  <a href={`mailto:${support.email}`}>{support.email}</a>
                </dd>
              </div>
            )}
            {support.educationDepartment.length > 0 && (
              <div className="details-row">
                <dt>{t.cabinet.educationDepartment}</dt>
                <dd>{support.educationDepartment.join(', ')}</dd>
              </div>
            )}
          </dl>
        )}
      </QueryView>
    </section>
  );
}
