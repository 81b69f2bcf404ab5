/**
 * A deadline counted over a year whose public holidays no administrator has confirmed yet may still
 * move (the portal says so: deadlineProvisional). `short` is for the journal's narrow status cell:
 * one word on screen, the explanation for screen readers and on hover.
 */
import { useI18n } from '../i18n/context.tsx';

export function ProvisionalDeadline({ provisional, short = false }: { provisional: boolean; short?: boolean }) {
  const { t } = useI18n();
  if (!provisional) return null;
  if (short) {
    return (
      <span className="deadline-provisional" data-provisional="" title={t.offer.provisional}>
        <span aria-hidden="true">{t.offer.provisionalShort}</span>
        <span className="visually-hidden">{t.offer.provisional}</span>
      </span>
    );
  }
  return (
    <span className="deadline-provisional" data-provisional="">
      {t.offer.provisional}
    </span>
  );
}
