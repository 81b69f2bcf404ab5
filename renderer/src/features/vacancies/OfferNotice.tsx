/** The seed's notice before the list (its turn has come, the deadline, the 3-working-day rule) and «ОК». */
import { useId } from 'react';
import { interpolate } from '../../i18n/index.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { Modal } from '../../shared/Modal.tsx';
import { ProvisionalDeadline } from '../../shared/ProvisionalDeadline.tsx';

export function OfferNotice({ deadline, provisional, periodDays, onOk }: { deadline: string; provisional: boolean; periodDays: number; onOk: () => void }) {
  const { t, language } = useI18n();
  const id = useId();
  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-text`} onClose={onOk} className="notice-dialog" role="alertdialog">
      <div className="modal-body">
        <h2 id={`${id}-title`}>{t.offer.noticeTitle}</h2>
        <div id={`${id}-text`}>
          <p>{interpolate(t.offer.noticeText, { deadline })}</p>
          <ProvisionalDeadline provisional={provisional} />
          <p className="note">{interpolate(t.offer.threeDaysNote, { period: plural(language, t.plurals.withinWorkingDays, periodDays) })}</p>
        </div>
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={onOk}>
            {t.offer.ok}
          </button>
        </div>
      </div>
    </Modal>
  );
}
