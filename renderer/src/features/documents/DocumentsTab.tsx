/**
 * «Жалпы құжаттар»: the referral as the app shows it (what the applicant signed, checked by the app
 * itself), each document to download (the PDF and the signed XML), and the verification report of
 * the signed XML (passed / failed / indeterminate, signer, time, reason).
 */
import { useState } from 'react';
import type { DocumentInfo } from '../../../../protocol/portal-api.ts';
import { call, errorOf, useApi, useCall } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { formatDateTime } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { documentKindName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { saveDocument } from './save-file.ts';
import { VerificationReport } from './VerificationReport.tsx';

export function DocumentsTab({ applicationId }: { applicationId: string; applicationNumber: string }) {
  const { t } = useI18n();
  const documents = useCall('cabinet.documents', { applicationId });
  return (
    <QueryView query={documents} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.documents.empty}</p>}>
      {(data) => <DocumentsView applicationId={applicationId} items={data.items} />}
    </QueryView>
  );
}

function DocumentsView({ applicationId, items }: { applicationId: string; items: DocumentInfo[] }) {
  const { t } = useI18n();
  const api = useApi();
  const signed = items.find((d) => d.kind === 'referral_xml');
  const [downloadError, setDownloadError] = useState<ReturnType<typeof errorOf> | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const report = useCall('documents.verify', { applicationId, documentId: signed?.id ?? '0' }, { enabled: signed !== undefined, staleTime: 5 * 60_000 });

  async function download(doc: DocumentInfo) {
    setDownloading(doc.id);
    setDownloadError(null);
    try {
      saveDocument(await call(api, 'documents.download', { applicationId, documentId: doc.id }));
    } catch (e) {
      setDownloadError(errorOf(e));
    } finally {
      setDownloading(null);
    }
  }

  return (
    <div className="documents">
      <table className="simple-table">
        <caption className="visually-hidden">{t.documents.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t.documents.name}</th>
            <th scope="col">{t.documents.createdAt}</th>
            <th scope="col">
              <span className="visually-hidden">{t.documents.download}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((doc) => {
            const name = documentKindName(t, doc.kind);
            return (
              <tr key={doc.id} data-kind={doc.kind}>
                <td>
                  <span className="doc-name">{name}</span>
                  <span className="muted small doc-file">{doc.title}</span>
                </td>
                <td>{formatDateTime(doc.createdAt)}</td>
                <td className="doc-actions">
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() => void download(doc)}
                    disabled={downloading !== null}
                    aria-label={interpolate(t.documents.downloadNamed, { name })}
                  >
                    {t.documents.download}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {downloadError && <ErrorMessage error={describeError(downloadError, t)} />}
      {signed && (
        <section className="card report" aria-labelledby="report-title">
          <h2 id="report-title">{t.documents.reportTitle}</h2>
          <p className="muted small">{documentKindName(t, signed.kind)}</p>
          <QueryView query={report}>{(summary) => <VerificationReport summary={summary} />}</QueryView>
          <button type="button" className="button secondary small" onClick={() => void report.refetch()} disabled={report.isFetching}>
            {report.isFetching ? t.documents.verifying : t.documents.verify}
          </button>
        </section>
      )}
    </div>
  );
}
