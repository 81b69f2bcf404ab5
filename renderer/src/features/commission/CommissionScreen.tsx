/**
 * The PMPK commission's view (docs/pmpk.md, Conclusions): a person logged in with a commission's
 * legal-entity key sees the commission's examination schedule and records a child's conclusion
 * (IIN, correctional category, last valid day). Main checks the IIN's check digit (IIN_INVALID);
 * the portal holds the other rules, and its refusals (PMPK_VALIDITY_INVALID, CHILD_NOT_FOUND, ...)
 * are shown translated.
 */
import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../../contract/contract.ts';
import { CORRECTIONAL_CATEGORIES, type CorrectionalCategory } from '../../../../protocol/categories.ts';
import type { PmpkConclusionResponse } from '../../../../protocol/pmpk-api.ts';
import { errorOf, useCall, useCallMutation } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { inUiLanguage } from '../../shared/place-names.ts';
import { DateField } from '../../shared/DateField.tsx';
import { parseDisplayDate } from '../../shared/date-input.ts';
import { PageHeading } from '../../shared/PageHeading.tsx';

export function CommissionScreen({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t, language } = useI18n();
  const c = t.commission;
  const [childIin, setChildIin] = useState('');
  return (
    <>
      <nav className="app-nav" aria-label={t.nav.label}>
        <p className="nav-commission" data-commission-name>
          {user.commission ? inUiLanguage(language, user.commission.name, user.commission.nameRu) : null}
        </p>
        <div className="nav-user">
          <span className="nav-user-name">{user.commonName}</span>
          <button type="button" className="button secondary small" onClick={onLogout} data-action="logout">
            {t.nav.logout}
          </button>
        </div>
      </nav>
      <PageHeading title={c.title} subtitle={c.intro} />
      <Schedule onPick={setChildIin} />
      <ConclusionForm key={childIin} initialIin={childIin} />
    </>
  );
}

function Schedule({ onPick }: { onPick: (iin: string) => void }) {
  const { t } = useI18n();
  const c = t.commission;
  const schedule = useCall('commission.schedule', {});
  return (
    <section aria-labelledby="commission-schedule-title" className="card">
      <h2 id="commission-schedule-title">{c.scheduleTitle}</h2>
      <QueryView query={schedule} isEmpty={(d) => d.items.length === 0} empty={<p>{c.scheduleEmpty}</p>}>
        {(data) => (
          <table className="commission-schedule">
            <thead>
              <tr>
                <th scope="col">{c.time}</th>
                <th scope="col">{c.child}</th>
                <th scope="col">{c.childIin}</th>
                <th scope="col">{c.application}</th>
                <th scope="col">
                  <span className="visually-hidden">{c.conclude}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.bookingId} data-booking={e.bookingId}>
                  <td>{formatDateTime(e.startsAt)}</td>
                  <td>{e.childName}</td>
                  <td>{e.childIin}</td>
                  <td>{e.applicationNumber ?? c.noApplication}</td>
                  <td>
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={interpolate(c.concludeFor, { child: e.childName })}
                      onClick={() => onPick(e.childIin)}
                      data-action="conclude-for"
                    >
                      {c.conclude}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </section>
  );
}

type Problem = 'iin' | 'category' | 'validUntil';

function ConclusionForm({ initialIin }: { initialIin: string }) {
  const { t } = useI18n();
  const c = t.commission;
  const ids = useId();
  const queryClient = useQueryClient();
  const [iin, setIin] = useState(initialIin);
  const [category, setCategory] = useState<CorrectionalCategory | ''>('');
  /** As typed, dd.MM.yyyy; the contract gets it as ISO. */
  const [validUntil, setValidUntil] = useState('');
  const [sent, setSent] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [done, setDone] = useState<PmpkConclusionResponse | null>(null);
  const conclude = useCallMutation('commission.conclude', {
    onSuccess: (result) => {
      setDone(result);
      void queryClient.invalidateQueries({ queryKey: ['commission.schedule'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const found: Problem[] = [];
    // 12 digits here; main checks the check digit (IIN_INVALID) before the portal is asked.
    if (!/^\d{12}$/.test(iin)) found.push('iin');
    if (category === '') found.push('category');
    const until = parseDisplayDate(validUntil);
    if (!until.ok) found.push('validUntil');
    setSent(true);
    setProblems(found);
    if (found.length > 0 || category === '' || !until.ok) return;
    conclude.mutate({ childIin: iin, category, validUntil: until.iso });
  };
  const invalid = (p: Problem) => (problems.includes(p) ? { 'aria-invalid': true as const, 'aria-describedby': `${ids}-${p}-error` } : {});
  const fieldError = (p: Problem, text: string) =>
    problems.includes(p) && (
      <p className="field-error" id={`${ids}-${p}-error`}>
        {text}
      </p>
    );
  return (
    <section aria-labelledby="commission-conclusion-title" className="card">
      <h2 id="commission-conclusion-title">{c.formTitle}</h2>
      <p className="muted">{c.formText}</p>
      <form onSubmit={submit} noValidate data-form="conclusion">
        <div className="field">
          <label htmlFor={`${ids}-iin`}>{c.childIin}</label>
          <input
            id={`${ids}-iin`}
            name="childIin"
            value={iin}
            inputMode="numeric"
            maxLength={12}
            autoComplete="off"
            onChange={(e) => setIin(e.target.value.replace(/\D/g, ''))}
            {...invalid('iin')}
          />
          {fieldError('iin', c.iinInvalid)}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-category`}>{c.category}</label>
          <select id={`${ids}-category`} name="category" value={category} onChange={(e) => setCategory(e.target.value as CorrectionalCategory | '')} {...invalid('category')}>
            <option value="">{c.chooseCategory}</option>
            {CORRECTIONAL_CATEGORIES.map((k) => (
              <option key={k} value={k}>
                {t.categories[k]}
              </option>
            ))}
          </select>
          {fieldError('category', c.categoryMissing)}
        </div>
        <DateField
          id={`${ids}-valid`}
          name="validUntil"
          label={c.validUntil}
          value={validUntil}
          onChange={setValidUntil}
          hint={c.validUntilHint}
          check={sent}
          error={problems.includes('validUntil') && validUntil.trim() === '' ? c.validUntilMissing : undefined}
        />
        {problems.length > 0 && (
          <p className="field-error" role="alert">
            {c.fixFields}
          </p>
        )}
        {conclude.isError && <ErrorMessage error={describeError(errorOf(conclude.error), t)} />}
        <p role="status" className={done ? 'notice' : 'visually-hidden'} data-result="conclusion">
          {done ? interpolate(c.recorded, { category: t.categories[done.category as CorrectionalCategory] ?? done.category, until: formatDate(done.validUntil) }) : ''}
        </p>
        <div className="page-actions">
          <button type="submit" className="button primary" disabled={conclude.isPending} data-action="record-conclusion">
            {c.record}
          </button>
        </div>
      </form>
    </section>
  );
}
