/**
 * «ПМПК-да тексеруге жазылу» for one application, or, opened from the service list before there
 * is an application, for a child named by IIN (docs/pmpk.md): the child's IIN and name then, the
 * commission (address, languages, phone), then a free date and time of that commission; booking is confirmed in the shared
 * dialog, then the examination schedule shows it. Radio groups: arrow keys move within a group.
 * A time taken (or gone) while confirming closes the dialog: the page says so, the child stays as
 * typed, and the time list no longer offers it.
 */
import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AppError } from '../../../../contract/contract.ts';
import type { ApplicationCard } from '../../../../protocol/portal-api.ts';
import type { PmpkChild, PmpkCommission, PmpkSlot } from '../../../../protocol/pmpk-api.ts';
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
import { PageHeading } from '../../shared/PageHeading.tsx';

export function BookScreen({ applicationId }: { applicationId: string | null }) {
  const { t } = useI18n();
  const commissions = useCall('pmpk.commissions', {});
  return (
    <section aria-labelledby="pmpk-book-title">
      <PageHeading id="pmpk-book-title" title={t.pmpk.bookTitle} />
      {applicationId === null ? (
        <QueryView query={commissions}>{(list) => <BookForm card={null} commissions={list.items} />}</QueryView>
      ) : (
        <ForApplication applicationId={applicationId} commissions={commissions} />
      )}
    </section>
  );
}

function ForApplication({ applicationId, commissions }: { applicationId: string; commissions: ReturnType<typeof useCall<'pmpk.commissions'>> }) {
  const card = useCall('cabinet.application', { applicationId });
  return (
    <QueryView query={card}>
      {(c) => <QueryView query={commissions}>{(list) => <BookForm card={c} commissions={list.items} />}</QueryView>}
    </QueryView>
  );
}

const SLOT_GONE = new Set(['PMPK_SLOT_TAKEN', 'PMPK_SLOT_PAST', 'PMPK_SLOT_NOT_FOUND']);

const NO_CHILD: PmpkChild = { iin: '', lastName: '', firstName: '' };
const childComplete = (c: PmpkChild) => /^\d{12}$/.test(c.iin) && c.lastName.trim() !== '' && c.firstName.trim() !== '';

/** `card` null: no application yet, the applicant names the child. */
function BookForm({ card, commissions }: { card: ApplicationCard | null; commissions: PmpkCommission[] }) {
  const { t, language } = useI18n();
  const ids = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [commissionId, setCommissionId] = useState<string | null>(commissions[0]?.id ?? null);
  const [slot, setSlot] = useState<PmpkSlot | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [missing, setMissing] = useState(false);
  const [child, setChild] = useState<PmpkChild>(NO_CHILD);
  const [childMissing, setChildMissing] = useState(false);
  /** The chosen time went (taken by others, or past) while confirming: said on the page, the time unchosen. */
  const [slotGone, setSlotGone] = useState<AppError | null>(null);
  const childName = card ? card.child.fullName : `${child.lastName.trim()} ${child.firstName.trim()}`;
  const back = () => navigate(card ? { name: 'application', applicationId: card.id, tab: 'info' } : { name: 'apply' });
  const onBook = () => {
    setSlotGone(null);
    const childOk = card !== null || childComplete(child);
    setChildMissing(!childOk);
    setMissing(!slot);
    if (childOk && slot) setConfirming(true);
  };
  const commission = commissions.find((c) => c.id === commissionId) ?? null;
  const book = useCallMutation('pmpk.book', {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['pmpk.bookings'] });
      await queryClient.invalidateQueries({ queryKey: ['pmpk.slots'] });
      navigate({ name: 'pmpk' });
    },
    onError: (e) => {
      void queryClient.invalidateQueries({ queryKey: ['pmpk.slots'] });
      const error = errorOf(e);
      // The time cannot be had any more: asking again in the dialog would only be refused again.
      // Back to the page, with the message and the child as typed, to choose another time.
      if (SLOT_GONE.has(error.code)) {
        setConfirming(false);
        setSlot(null);
        setSlotGone(error);
      }
    },
  });
  const p = t.pmpk;
  return (
    <>
      {card ? (
        <p className="lead">{interpolate(p.bookIntro, { number: card.application.number, child: card.child.fullName })}</p>
      ) : (
        <ChildFields child={child} onChange={(c) => { setChild(c); setChildMissing(false); }} missing={childMissing} />
      )}
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
            setSlotGone(null);
          }}
        />
      )}
      {missing && (
        <p className="field-error" role="alert">
          {p.chooseSlotFirst}
        </p>
      )}
      {slotGone && <ErrorMessage error={describeError(slotGone, t)} />}
      <div className="page-actions">
        <button type="button" className="button primary" onClick={onBook} data-action="book">
          {p.bookButton}
        </button>
        <button type="button" className="button secondary" onClick={back}>
          {t.nav.back}
        </button>
      </div>
      {confirming && slot && commission && (
        <ConfirmDialog
          title={p.confirmTitle}
          confirmLabel={t.confirm.yes}
          cancelLabel={t.confirm.no}
          onConfirm={() =>
            book.mutate(
              card
                ? { applicationId: card.id, slotId: slot.id }
                : { child: { iin: child.iin, lastName: child.lastName.trim(), firstName: child.firstName.trim() }, slotId: slot.id },
            )
          }
          onCancel={() => {
            setConfirming(false);
            book.reset();
          }}
          busy={book.isPending}
          footer={book.isError ? <ErrorMessage error={describeError(errorOf(book.error), t)} /> : null}
        >
          <p>
            {interpolate(p.confirmQuestion, {
              child: childName,
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

/** The child's IIN and name, asked when there is no application to take them from. */
function ChildFields({ child, onChange, missing }: { child: PmpkChild; onChange: (c: PmpkChild) => void; missing: boolean }) {
  const { t } = useI18n();
  const ids = useId();
  const field = (key: keyof PmpkChild, label: string, extra: { inputMode?: 'numeric'; maxLength: number; autoComplete: string }) => (
    <div className="field">
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input
        id={`${ids}-${key}`}
        name={key}
        value={child[key]}
        inputMode={extra.inputMode}
        maxLength={extra.maxLength}
        autoComplete={extra.autoComplete}
        aria-invalid={missing && (key === 'iin' ? !/^\d{12}$/.test(child.iin) : child[key].trim() === '') ? true : undefined}
        aria-describedby={missing ? `${ids}-missing` : undefined}
        onChange={(e) => onChange({ ...child, [key]: key === 'iin' ? e.target.value.replace(/\D/g, '') : e.target.value })}
      />
    </div>
  );
  return (
    <fieldset className="card">
      <legend className="field-label">{t.pmpk.stepChild}</legend>
      <p className="muted">{t.pmpk.bookIntroChild}</p>
      {field('iin', t.apply.childIin, { inputMode: 'numeric', maxLength: 12, autoComplete: 'off' })}
      {field('lastName', t.apply.childLastName, { maxLength: 100, autoComplete: 'off' })}
      {field('firstName', t.apply.childFirstName, { maxLength: 100, autoComplete: 'off' })}
      {missing && (
        <p className="field-error" role="alert" id={`${ids}-missing`}>
          {t.pmpk.childMissing}
        </p>
      )}
    </fieldset>
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
