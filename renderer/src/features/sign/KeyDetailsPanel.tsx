/** "Selected key data", laid out as NCALayer shows it (docs/domain.md, The referral journey). */
import { useId } from 'react';
import type { KeyDetails } from '../../../../contract/contract.ts';
import { formatValidity, groupHex } from '../../format.ts';
import { useI18n } from '../../i18n/context.tsx';
import { DetailsList } from '../../shared/DetailsList.tsx';

export function KeyDetailsPanel({ details }: { details: KeyDetails }) {
  const { t } = useI18n();
  const id = useId();
  const algorithm = details.keySize ? `${details.algorithm} ${details.keySize}` : details.algorithm;
  const rows: Array<[string, string]> = [
    [t.keyDialog.ownerUniqueName, details.subject],
    [t.keyDialog.validity, formatValidity(details.notBefore, details.notAfter)],
    [t.keyDialog.serialNumber, groupHex(details.serialNumber)],
    [t.keyDialog.issuerName, details.issuer],
    [t.keyDialog.algorithm, algorithm],
  ];
  return (
    <section className="key-details" aria-labelledby={id}>
      <h3 id={id}>{t.keyDialog.selectedKeyData}</h3>
      <DetailsList rows={rows} />
    </section>
  );
}
