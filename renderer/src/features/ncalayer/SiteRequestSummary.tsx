/**
 * What a web site asks (the NCALayer service, docs/ncalayer.md "The dialog"): its origin, large and
 * first, whether the user has used it before, and each document in plain words: XML as readable
 * "path: text" lines, other data as its size and SHA-256, a ready hash as itself.
 */
import { useId } from 'react';
import type { SiteDocument, SiteRequest } from '../../../../contract/contract.ts';
import { useI18n } from '../../i18n/context.tsx';
import { interpolate } from '../../i18n/index.ts';

/** The requesting site, shown above everything else in the dialog. */
export function SiteOrigin({ request }: { request: SiteRequest }) {
  const { t } = useI18n();
  return (
    <div className={`site-origin ${request.originStanding}`}>
      <p className="site-origin-label">{t.ncalayer.siteAsks}</p>
      <p className="site-origin-name" data-testid="site-origin">
        {request.origin}
      </p>
      <p className="site-origin-standing">{request.originStanding === 'unknown' ? t.ncalayer.siteUnknown : t.ncalayer.siteRemembered}</p>
    </div>
  );
}

function DocumentView({ document }: { document: SiteDocument }) {
  const { t } = useI18n();
  const bytes = document.kind === 'hash' ? null : interpolate(t.ncalayer.bytes, { n: document.bytes.toLocaleString('en').replaceAll(',', ' ') });
  return (
    <>
      {document.kind === 'xml' &&
        (document.lines.length > 0 ? (
          <dl className="site-document-lines">
            {document.lines.map((line, i) => (
              <div key={i} className="details-row">
                <dt>{line.path}</dt>
                <dd>{line.text}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">{t.ncalayer.noReadableText}</p>
        ))}
      {document.kind === 'xml' && !document.complete && <p className="muted">{t.ncalayer.linesIncomplete}</p>}
      {document.kind === 'binary' && <p className="muted">{t.ncalayer.binaryOnly}</p>}
      {document.kind === 'hash' && <p className="muted">{t.ncalayer.hashOnly}</p>}
      <dl className="site-document-facts">
        {bytes && (
          <div className="details-row">
            <dt>{t.ncalayer.size}</dt>
            <dd>{bytes}</dd>
          </div>
        )}
        <div className="details-row">
          <dt>{t.ncalayer.sha256}</dt>
          <dd className="hash">{document.sha256}</dd>
        </div>
      </dl>
    </>
  );
}

/** "What you sign" for a site: the action, the documents, and what the site asks of the key. */
export function SiteRequestSummary({ request }: { request: SiteRequest }) {
  const { t } = useI18n();
  const id = useId();
  const action =
    request.action === 'keyInfo'
      ? t.ncalayer.actionKeyInfo
      : request.format === 'xml'
        ? t.ncalayer.actionXml
        : request.format === 'cms'
          ? t.ncalayer.actionCms
          : t.ncalayer.actionRaw;
  const total = request.documents.length;
  return (
    <section className="signing-summary site-summary" aria-labelledby={id}>
      <h3 id={id}>{t.keyDialog.whatYouSign}</h3>
      <p className="signing-summary-title">{action}</p>
      {request.format === 'cms' && request.attached !== undefined && <p>{request.attached ? t.ncalayer.attached : t.ncalayer.detached}</p>}
      {request.key.iin && <p>{interpolate(t.ncalayer.keyAsked, { iin: request.key.iin })}</p>}
      {request.key.bin && <p>{interpolate(t.ncalayer.keyAskedBin, { bin: request.key.bin })}</p>}
      {request.timestampRequested && <p className="key-warning">{t.ncalayer.noTimestamp}</p>}
      <div className="site-documents" tabIndex={0} aria-label={t.keyDialog.whatYouSign}>
        {request.documents.map((document, i) => (
          <div key={i} className="site-document">
            {total > 1 && <h4>{interpolate(t.ncalayer.documentOf, { n: i + 1, total })}</h4>}
            <DocumentView document={document} />
          </div>
        ))}
      </div>
    </section>
  );
}
