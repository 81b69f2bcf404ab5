/** «Өзгерістер туралы ақпарат»: the application's change history, oldest first. */
import { useCall } from '../../app/api.tsx';
import { formatDateTime } from '../../format.ts';
import { historyEventName, statusName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';

export function HistoryTab({ applicationId }: { applicationId: string }) {
  const { t } = useI18n();
  const history = useCall('cabinet.history', { applicationId });
  return (
    <QueryView query={history} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.history.empty}</p>}>
      {(data) => (
        <table className="simple-table">
          <caption className="visually-hidden">{t.application.tabHistory}</caption>
          <thead>
            <tr>
              <th scope="col">{t.history.at}</th>
              <th scope="col">{t.history.event}</th>
              <th scope="col">{t.history.status}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((h, i) => (
              <tr key={`${h.at}-${i}`}>
                <td>{formatDateTime(h.at)}</td>
                <td>{historyEventName(t, h.note)}</td>
                <td>{statusName(t, h.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QueryView>
  );
}
