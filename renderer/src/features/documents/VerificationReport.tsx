/** The app's own check of the signed referral request: the verdict, its reason, the signer, when, and what was signed. */
import type { VerificationSummary } from '../../../../contract/contract.ts';
import { formatDateTime, formatValidity, groupHex } from '../../format.ts';
import { languageName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';
import { DetailsList } from '../../shared/DetailsList.tsx';

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
      <DetailsList className="details" rows={rows} />
      {content && (
        <section className="signed-content" aria-label={d.signedContent}>
          <h3>{d.signedContent}</h3>
          <DetailsList
            className="details"
            rows={[
              [t.signing.application, content.applicationNumber],
              [t.signing.kindergarten, content.kindergartenName],
              [t.signing.address, content.kindergartenAddress],
              [t.signing.language, languageName(t, content.language)],
              [t.signing.child, content.childIin],
              [t.signing.applicant, content.applicantIin],
              [d.requestedAt, formatDateTime(content.requestedAt)],
            ]}
          />
        </section>
      )}
    </div>
  );
}
