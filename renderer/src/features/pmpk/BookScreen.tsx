/**
 * «ПМПК-да тексеруге жазылу» for one application: the commission first (address, languages,
 * phone), then a free date and time of that commission; booking is confirmed in the shared
 * dialog, then the examination schedule shows it. Radio groups: arrow keys move within a group.
 */
import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ApplicationCard } from '../../../../protocol/portal-api.ts';
import type { PmpkCommission, PmpkSlot } from '../../../../protocol/pmpk-api.ts';
import { errorOf, useCall, useCallMutation } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { describeError } from '../../errors.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { languageName } from '../../i18n/names.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ConfirmDialog } from '../../shared/ConfirmDialog.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { commissionAddress, commissionName } from './names.ts';

export function BookScreen({ applicationId }: { applicationId: string }) {
  const { t } = useI18n();
  const card = useCall('cabinet.application', { applicationId });
  const commissions = useCall('pmpk.commissions', {});
  return (
    <section aria-labelledby="pmpk-book-title">
      <div className="page-head">
        <h1 id="pmpk-book-title">{t.pmpk.bookTitle}</h1>
      </div>
      <QueryView query={card}>
        {(c) => (
          <QueryView query={commissions}>{(list) => <BookForm card={c} commissions={list.items} />}</QueryView>
        )}
      </QueryView>
    </section>
  );
}

function BookForm({ card, commissions }: { card: ApplicationCard; commissions: PmpkCommission[] }) {
  const { t, language } = useI18n();
  const ids = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [commissionId, setCommissionId] = useState<string | null>(commissions[0]?.id ?? null);
  const [slot, setSlot] = useState<PmpkSlot | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [missing, setMissing] = useState(false);
  const commission = commissions.find((c) => c.id === commissionId) ?? null;
  const book = useCallMutation('pmpk.book', {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['pmpk.bookings'] });
      await queryClient.invalidateQueries({ queryKey: ['pmpk.slots'] });
      navigate({ name: 'pmpk' });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: ['pmpk.slots'] }),
  });
  const p = t.pmpk;
  return (
    <>
      <p className="lead">{interpolate(p.bookIntro, { number: card.application.number, child: card.child.fullName })}</p>
      <fieldset className="choice-list">
        <legend className="field-label">{p.stepCommission}</legend>
        {commissions.map((c) => (
          <label key={c.id} className={c.id === commissionId ? 'choice chosen' : 'choice'} data-commission={c.id}>
            <input
              type="radio"
              name={`${ids}-commission`}
              value={c.id}
              checked={c.id === commissionId}
              onChange={() => {
                setCommissionId(c.id);
                setSlot(null);
              }}
            />
            <span>
              <strong>{commissionName(c, language)}</strong>
              <span className="choice-line">{commissionAddress(c, language)}</span>
              <span className="choice-line muted">
                {interpolate(p.languages, { languages: c.languages.map((l) => languageName(t, l)).join(', ') })} ·{' '}
                {interpolate(p.phone, { phone: c.phone })}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {commission && (
        <Slots
          key={commission.id}
          commissionId={commission.id}
          chosen={slot}
          onChoose={(s) => {
            setSlot(s);
            setMissing(false);
          }}
        />
      )}
      {missing && (
        <p className="field-error" role="alert">
          {p.chooseSlotFirst}
        </p>
      )}
      <div className="page-actions">
        <button type="button" className="button primary" onClick={() => (slot ? setConfirming(true) : setMissing(true))} data-action="book">
          {p.bookButton}
        </button>
        <button type="button" className="button secondary" onClick={() => navigate({ name: 'application', applicationId: card.id, tab: 'info' })}>
          {t.nav.back}
        </button>
      </div>
      {confirming && slot && commission && (
        <ConfirmDialog
          title={p.confirmTitle}
          confirmLabel={t.confirm.yes}
          cancelLabel={t.confirm.no}
          onConfirm={() => book.mutate({ applicationId: card.id, slotId: slot.id })}
          onCancel={() => {
            setConfirming(false);
            book.reset();
          }}
          busy={book.isPending}
          footer={book.isError ? <ErrorMessage error={describeError(errorOf(book.error), t)} /> : null}
        >
          <p>
            {interpolate(p.confirmQuestion, {
              child: card.child.fullName,
              date: formatDateTime(slot.startsAt),
              commission: commissionName(commission, language),
              address: commissionAddress(commission, language),
            })}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Slots({ commissionId, chosen, onChoose }: { commissionId: string; chosen: PmpkSlot | null; onChoose: (slot: PmpkSlot) => void }) {
  const { t } = useI18n();
  const ids = useId();
  const slots = useCall('pmpk.slots', { commissionId });
  const byDate = new Map<string, PmpkSlot[]>();
  for (const s of slots.data?.items ?? []) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  return (
    <fieldset className="choice-list">
      <legend className="field-label">{t.pmpk.stepSlot}</legend>
      <QueryView query={slots} isEmpty={(d) => d.items.length === 0} empty={<p>{t.pmpk.noSlots}</p>}>
        {() => (
          <div className="slot-days">
            {[...byDate].map(([date, daySlots]) => (
              <div key={date} className="slot-day" role="group" aria-labelledby={`${ids}-${date}`}>
                <h3 id={`${ids}-${date}`}>{formatDate(date)}</h3>
                <div className="slot-times">
                  {daySlots.map((s) => (
                    <label key={s.id} className={chosen?.id === s.id ? 'slot chosen' : 'slot'} data-slot={s.id}>
                      <input type="radio" name={`${ids}-slot`} value={s.id} checked={chosen?.id === s.id} onChange={() => onChoose(s)} />
                      <span>{formatDateTime(s.startsAt).slice(11)}</span>
                      <span className="slot-free">{interpolate(t.pmpk.freePlaces, { count: String(s.free) })}</span>
                    </label>
                  ))}
                </div>
              </div>
            ))}
          </div>
        )}
      </QueryView>
    </fieldset>
  );
}
