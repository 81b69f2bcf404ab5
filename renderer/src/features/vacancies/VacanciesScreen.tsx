/**
 * «Коррекциялық балабақшаны таңдау»: the seed's notice and «ОК» first (when a place is offered to
 * this application), then the list of available preschools with every field, filters by language
 * and district, the seed's warning, and «Қол қою және жіберу» → «Растау» (Иә / Жоқ) → the key dialog
 * in signing mode → the referral, or a translated reason, or "send again" when the answer was lost.
 */
import { useId, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Vacancy } from '../../../../protocol/portal-api.ts';
import type { AppError, CallOutput, ReferralDocument, Result } from '../../../../contract/contract.ts';
import { call, errorOf, useApi, useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { describeError } from '../../errors.ts';
import { formatDeadline } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { languageName } from '../../i18n/names.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ConfirmDialog } from '../../shared/ConfirmDialog.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { ProvisionalDeadline } from '../../shared/ProvisionalDeadline.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { KeyDialog, type KeyChoice } from '../sign/KeyDialog.tsx';
import type { SigningSummaryData } from '../sign/SigningSummary.tsx';
import { OfferNotice } from './OfferNotice.tsx';
import { VacancyCard } from './VacancyCard.tsx';
import { failurePlace } from './referral-flow.ts';
import { districtOptions, vacancyAddress, vacancyName } from '../../shared/place-names.ts';
import { PageHeading } from '../../shared/PageHeading.tsx';

type Step =
  | { name: 'choosing' }
  | { name: 'confirm'; vacancy: Vacancy }
  | { name: 'sign'; vacancy: Vacancy; document: ReferralDocument }
  | { name: 'lost'; vacancy: Vacancy }
  | { name: 'done' };

export function VacanciesScreen({ applicationId }: { applicationId: string }) {
  const { t, language } = useI18n();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ids = useId();
  const card = useCall('cabinet.application', { applicationId });
  const places = useCall('cabinet.vacancies', { applicationId });
  const info = useCall('portal.info', {}, { staleTime: Infinity });

  const [noticeSeen, setNoticeSeen] = useState(false);
  const [languageFilter, setLanguageFilter] = useState('');
  const [districtFilter, setDistrictFilter] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ name: 'choosing' });
  const [screenError, setScreenError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [chooseFirst, setChooseFirst] = useState(false);

  const items = useMemo(() => places.data?.items ?? [], [places.data]);
  const languages = useMemo(() => [...new Set(items.map((v) => v.language))].sort(), [items]);
  // Filtered by the Kazakh district (the portal's key), labelled in the UI language.
  const districts = useMemo(() => districtOptions(items, language), [items, language]);
  const shown = items.filter((v) => (!languageFilter || v.language === languageFilter) && (!districtFilter || v.district === districtFilter));
  const chosenVacancy = items.find((v) => v.offerId === chosen) ?? null;
  const offer = card.data?.offer ?? null;
  const number = card.data?.application.number ?? '';

  async function refreshAll() {
    await queryClient.invalidateQueries();
  }

  function signAndSend() {
    setScreenError(null);
    if (!chosenVacancy) {
      setChooseFirst(true);
      return;
    }
    setChooseFirst(false);
    setStep({ name: 'confirm', vacancy: chosenVacancy });
  }

  async function confirmed(vacancy: Vacancy) {
    setBusy(true);
    try {
      const { document } = await call(api, 'referral.preview', { applicationId, offerId: vacancy.offerId });
      setStep({ name: 'sign', vacancy, document });
    } catch (e) {
      setStep({ name: 'choosing' });
      setScreenError(errorOf(e));
      void places.refetch();
    } finally {
      setBusy(false);
    }
  }

  /** A referral issued: every view of it is stale (journal, card, offers, documents). */
  async function finished(result: Result<CallOutput<'referral.signAndSubmit'>>): Promise<AppError | null> {
    if (!result.ok) return result.error;
    // Shown at once; the views refresh behind it (refetching them all first took about a second).
    setStep({ name: 'done' });
    void refreshAll();
    return null;
  }

  async function sign(vacancy: Vacancy, choice: KeyChoice): Promise<AppError | null> {
    const result = await api['referral.signAndSubmit']({ applicationId, offerId: vacancy.offerId, ...choice });
    const error = await finished(result);
    if (!error) return null;
    const place = failurePlace(error.code);
    if (place === 'dialog') return error;
    if (place === 'lost') {
      setStep({ name: 'lost', vacancy });
      setScreenError(error);
      return null;
    }
    setStep({ name: 'choosing' });
    setChosen(null);
    setScreenError(error);
    await refreshAll();
    return null;
  }

  async function resend(vacancy: Vacancy) {
    setBusy(true);
    const result = await api['referral.retry']({ applicationId, offerId: vacancy.offerId });
    setBusy(false);
    const error = await finished(result);
    if (!error) return;
    if (failurePlace(error.code) === 'lost') return setScreenError(error);
    setStep({ name: 'choosing' });
    setScreenError(error);
    await refreshAll();
  }

  const summary = (doc: ReferralDocument): SigningSummaryData => ({
    title: t.signing.summaryTitle,
    lines: [
      { label: t.signing.application, value: doc.applicationNumber },
      { label: t.signing.kindergarten, value: doc.kindergartenName },
      { label: t.signing.address, value: doc.kindergartenAddress },
      { label: t.signing.language, value: languageName(t, doc.language) },
      { label: t.signing.child, value: doc.childIin },
      { label: t.signing.applicant, value: doc.applicantIin },
    ],
  });

  if (step.name === 'done') {
    return (
      <section className="result panel-wide" aria-labelledby={`${ids}-done`}>
        <h1 id={`${ids}-done`} className="result-ok">
          {t.signing.doneTitle}
        </h1>
        <p>{t.signing.doneText}</p>
        <button type="button" className="button primary" onClick={() => navigate({ name: 'application', applicationId, tab: 'documents' })}>
          {t.signing.openDocuments}
        </button>
      </section>
    );
  }

  return (
    <section className="vacancies" aria-labelledby={`${ids}-title`}>
      <PageHeading
        id={`${ids}-title`}
        title={t.vacancies.title}
        subtitle={number && interpolate(t.vacancies.forApplication, { number })}
      >
        {offer?.expiresAt && (
          <p className="offer-deadline">
            <strong>{interpolate(t.offer.deadline, { date: formatDeadline(offer.expiresAt) })}</strong>
            {offer.workingDaysLeft !== null && <> · {plural(language, t.plurals.workingDaysLeft, offer.workingDaysLeft)}</>}
            <ProvisionalDeadline provisional={offer.deadlineProvisional} />
          </p>
        )}
      </PageHeading>

      {step.name === 'lost' ? (
        <div className="lost panel-wide" role="region" aria-labelledby={`${ids}-lost`}>
          <h2 id={`${ids}-lost`}>{t.signing.lostTitle}</h2>
          {screenError && <ErrorMessage error={describeError(screenError, t)} />}
          <p>{t.signing.lostText}</p>
          <div className="page-actions">
            <button type="button" className="button primary" onClick={() => void resend(step.vacancy)} disabled={busy}>
              {busy ? t.signing.sending : t.signing.resend}
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="warning" role="note">
            {t.vacancies.warning}
          </p>
          {screenError && <ErrorMessage error={describeError(screenError, t)} />}
          <QueryView query={places} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.vacancies.empty}</p>}>
            {() => (
              <>
                <div className="table-tools">
                  <label className="field compact">
                    <span className="field-label">{t.vacancies.filterLanguage}</span>
                    <select value={languageFilter} onChange={(e) => setLanguageFilter(e.target.value)}>
                      <option value="">{t.vacancies.all}</option>
                      {languages.map((l) => (
                        <option key={l} value={l}>
                          {languageName(t, l)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="field compact">
                    <span className="field-label">{t.vacancies.filterDistrict}</span>
                    <select value={districtFilter} onChange={(e) => setDistrictFilter(e.target.value)}>
                      <option value="">{t.vacancies.all}</option>
                      {districts.map((d) => (
                        <option key={d.key} value={d.key}>
                          {d.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <p className="table-count" role="status">
                    {plural(language, t.plurals.places, shown.length)}
                  </p>
                </div>
                <fieldset className="vacancy-list">
                  <legend className="visually-hidden">{t.vacancies.title}</legend>
                  {shown.length === 0 && <p className="panel-note">{t.vacancies.noMatch}</p>}
                  {shown.map((v) => (
                    <VacancyCard key={v.offerId} vacancy={v} chosen={chosen === v.offerId} onChoose={() => (setChosen(v.offerId), setChooseFirst(false))} />
                  ))}
                </fieldset>
              </>
            )}
          </QueryView>
          {chooseFirst && (
            <p className="field-error" role="alert">
              {t.vacancies.chooseFirst}
            </p>
          )}
          <div className="page-actions sticky-actions">
            <button type="button" className="button primary" onClick={signAndSend} disabled={busy || items.length === 0}>
              {t.vacancies.signAndSend}
            </button>
            <button type="button" className="button secondary" onClick={() => navigate({ name: 'application', applicationId, tab: 'info' })}>
              {t.vacancies.cancel}
            </button>
          </div>
        </>
      )}

      {offer && !noticeSeen && info.data && (
        <OfferNotice
          deadline={offer.expiresAt ? formatDeadline(offer.expiresAt) : ''}
          provisional={offer.deadlineProvisional}
          periodDays={info.data.offerWorkingDays}
          onOk={() => setNoticeSeen(true)}
        />
      )}
      {step.name === 'confirm' && (
        <ConfirmDialog
          title={t.confirm.title}
          confirmLabel={t.confirm.yes}
          cancelLabel={t.confirm.no}
          busy={busy}
          onConfirm={() => void confirmed(step.vacancy)}
          onCancel={() => setStep({ name: 'choosing' })}
        >
          <p>
            {interpolate(t.confirm.referralQuestion, {
              name: vacancyName(step.vacancy, language),
              address: vacancyAddress(step.vacancy, language),
              language: languageName(t, step.vacancy.language),
            })}
          </p>
        </ConfirmDialog>
      )}
      {step.name === 'sign' && (
        <KeyDialog
          purpose="SIGN"
          summary={summary(step.document)}
          onSign={(choice) => sign(step.vacancy, choice)}
          onCancel={() => setStep({ name: 'choosing' })}
        />
      )}
    </section>
  );
}
