/** The app's own check of the signed referral request: the verdict, its reason, the signer, when, and what was signed. */
import type { VerificationSummary } from '../../../../contract/contract.ts';
import { formatDateTime, formatValidity, groupHex } from '../../format.ts';
import { languageName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';

const TONE = { TOTAL_PASSED: 'ok', TOTAL_FAILED: 'bad', INDETERMINATE: 'unknown' } as const;

export function VerificationReport({ summary }: { summary: VerificationSummary }) {
  const { t } = useI18n();
  const d = t.documents;
  const reason = summary.subIndication
    ? ((d.subIndications as Record<string, string>)[summary.subIndication] ?? summary.subIndication)
    : null;
  const rows: Array<[string, string]> = [];
  if (reason) rows.push([d.reason, reason]);
  if (summary.signer) {
    rows.push([d.signer, summary.signer.commonName]);
    if (summary.signer.iin) rows.push([d.signerIin, summary.signer.iin]);
    rows.push([d.certificate, groupHex(summary.signer.serialNumber)]);
    rows.push([d.issuer, summary.signer.issuer]);
    rows.push([d.validity, formatValidity(summary.signer.notBefore, summary.signer.notAfter)]);
  }
  rows.push([d.checkedAt, formatDateTime(summary.checkedAt)]);
  const content = summary.signedContent;
  return (
    <div className="verification" data-indication={summary.indication}>
      <p className={`verdict verdict-${TONE[summary.indication]}`} role="status">
        {d.indications[summary.indication]}
      </p>
      <dl className="details">
        {rows.map(([label, value]) => (
          <div key={label} className="details-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {content && (
        <section className="signed-content" aria-label={d.signedContent}>
          <h3>{d.signedContent}</h3>
          <dl className="details">
            <div className="details-row">
              <dt>{t.signing.application}</dt>
              <dd>{content.applicationNumber}</dd>
            </div>
            <div className="details-row">
              <dt>{t.signing.kindergarten}</dt>
              <dd>{content.kindergartenName}</dd>
            </div>
            <div className="details-row">
              <dt>{t.signing.address}</dt>
              <dd>{content.kindergartenAddress}</dd>
            </div>
            <div className="details-row">
              <dt>{t.signing.language}</dt>
              <dd>{languageName(t, content.language)}</dd>
            </div>
            <div className="details-row">
              <dt>{t.signing.child}</dt>
              <dd>{content.childIin}</dd>
            </div>
            <div className="details-row">
              <dt>{t.signing.applicant}</dt>
              <dd>{content.applicantIin}</dd>
            </div>
            <div className="details-row">
              <dt>{d.requestedAt}</dt>
              <dd>{formatDateTime(content.requestedAt)}</dd>
            </div>
          </dl>
        </section>
      )}
    </div>
  );
}
