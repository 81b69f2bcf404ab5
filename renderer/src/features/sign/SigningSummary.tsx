/** "What you sign": the signed content in plain words, shown beside the keys when signing a document. */
import { useId } from 'react';
import { useI18n } from '../../i18n/context.tsx';
import { DetailsList } from '../../shared/DetailsList.tsx';

export interface SigningSummaryData {
  title: string;
  lines: Array<{ label: string; value: string }>;
}

export function SigningSummary({ summary }: { summary: SigningSummaryData }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="signing-summary" aria-labelledby={id}>
      <h3 id={id}>{t.keyDialog.whatYouSign}</h3>
      <p className="signing-summary-title">{summary.title}</p>
      <DetailsList rows={summary.lines.map((line) => [line.label, line.value] as const)} />
    </section>
  );
}
