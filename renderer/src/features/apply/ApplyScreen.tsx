/**
 * The application wizard (docs/applications.md): the region and service, the rules and three
 * consents, then six steps with a progress bar, Back and Next; each step is checked by main (its
 * draft's issues) before the next opens. The draft lives in main, saved as it is typed, so a
 * lapsed session or a lost network loses nothing; step 6 shows the very document main signs.
 */
import { useEffect, useRef, useState } from 'react';
import type { AppError, ApplicationDraft, CallInput, CallOutput, ChildFacts, DraftIssue } from '../../../../contract/contract.ts';
import type { ApplicationDocument } from '../../../../protocol/application-document.ts';
import type { ApplicationSubmitResponse } from '../../../../protocol/application-api.ts';
import { call, errorOf, useApi, useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { describeError } from '../../errors.ts';
import { formatDate } from '../../format.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { TextField } from '../../shared/TextField.tsx';
import { KeyDialog } from '../sign/KeyDialog.tsx';
import { useSigningSetup } from '../sign/signing-context.ts';
import { ContactField } from './ContactField.tsx';
import { districtOptions, inUiLanguage } from '../../shared/place-names.ts';
import { reviewValue } from './review-values.ts';

type Fields = CallInput<'apply.saveDraft'>['draft'];
const STEPS = 6;
const OUT_OF_TURN = ['serviceman_family', 'special_state_body_family'] as const;
const PRIORITY = ['parent_disability', 'orphan', 'large_family', 'special_needs', 'teacher_child'] as const;

function fieldsOf(d: ApplicationDraft): Fields {
  const { confirmed: _c, proof: _p, ...rest } = d;
  return rest;
}

export function ApplyScreen({ applicantIin }: { applicantIin: string }) {
  const api = useApi();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ApplicationDraft | null>(null);
  const [shownIssues, setShownIssues] = useState<DraftIssue[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  // The document to sign and its exact XML, both from main (apply.preview).
  const [review, setReview] = useState<CallOutput<'apply.preview'> | null>(null);
  const [signing, setSigning] = useState(false);
  const [done, setDone] = useState<ApplicationSubmitResponse | null>(null);
  /** What main read from the child's IIN, for the IIN it was read from. */
  const [child, setChild] = useState<{ iin?: string; facts?: ChildFacts }>({});
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    call(api, 'apply.draft', {}).then(
      (s) => {
        setDraft(s.draft);
        setChild({ iin: s.draft.childIin, facts: s.child });
      },
      (e: unknown) => setError(errorOf(e)),
    );
  }, [api]);

  /** A confirmed contact or an uploaded proof: the draft main wrote, and the shown problems are stale. */
  const accept = (s: { draft: ApplicationDraft; issues: DraftIssue[] }) => {
    // Main's own fields only: what was typed meanwhile (saved a moment later) stays.
    setDraft((d) => (d ? { ...d, confirmed: s.draft.confirmed, proof: s.draft.proof } : s.draft));
    setShownIssues([]);
  };
  const save = async (next: ApplicationDraft) => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    const saved = await call(api, 'apply.saveDraft', { draft: fieldsOf(next) });
    setChild({ iin: saved.draft.childIin, facts: saved.child });
    return saved;
  };
  /** Typing: the draft is saved shortly after, so nothing is lost. */
  const update = (patch: Partial<ApplicationDraft>) => {
    if (!draft) return;
    const next = { ...draft, ...patch };
    setDraft(next);
    setShownIssues((shown) => shown.filter((i) => !(i.field in patch)));
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void save(next).catch((e: unknown) => setError(errorOf(e))), 300);
  };

  if (!draft)
    return error ? (
      <ErrorMessage error={describeError(error, t)} />
    ) : (
      <p className="muted" role="status">
        {t.app.loading}
      </p>
    );

  const started =
    draft.step >= 1 &&
    draft.consents?.rules &&
    draft.consents.personalData &&
    draft.consents.contacts &&
    draft.region;
  const step = draft.step;

  const go = async (to: number) => {
    setError(null);
    try {
      const saved = await save({ ...draft, step: to > step ? step : to });
      const here = saved.issues.filter((i) => i.step === step || (step === 1 && i.step === 0));
      if (to > step && here.length > 0) {
        setShownIssues(here);
        return;
      }
      setShownIssues([]);
      setDraft((await save({ ...saved.draft, step: to })).draft);
      if (to === STEPS) setReview(await call(api, 'apply.preview', {}));
      headingRef.current?.focus();
    } catch (e) {
      setError(errorOf(e));
    }
  };

  const issueFor = (field: string) => shownIssues.find((i) => i.field === field);
  const issueText = (field: string) => {
    const issue = issueFor(field);
    return issue ? t.apply.issues[issue.code] : undefined;
  };
  const fieldError = (field: string) => {
    const issue = issueFor(field);
    return issue ? (
      <p className="field-error" id={`issue-${field}`} role="alert">
        {t.apply.issues[issue.code]}
      </p>
    ) : null;
  };

  if (done) {
    return (
      <section className="card" aria-labelledby="apply-done">
        <h1 id="apply-done">{t.apply.done}</h1>
        <ul>
          {done.items.map((i) => (
            <li key={i.id} data-application-number={i.number}>
              {i.number}
            </li>
          ))}
        </ul>
        <p>{t.apply.doneText}</p>
        <button type="button" className="button primary" onClick={() => navigate({ name: 'journal' })}>
          {t.apply.openJournal}
        </button>
      </section>
    );
  }

  if (!started || draft.step === 0) {
    return (
      <>
        <Start
          draft={draft}
          update={update}
          issues={shownIssues}
          onStart={async () => {
            try {
              const saved = await save(draft);
              const here = saved.issues.filter((i) => i.step === 0);
              if (here.length > 0) return setShownIssues(here);
              setShownIssues([]);
              setDraft((await save({ ...draft, step: 1 })).draft);
            } catch (e) {
              setError(errorOf(e));
            }
          }}
        />
        {error && <ErrorMessage error={describeError(error, t)} />}
      </>
    );
  }

  return (
    <section className="apply" aria-labelledby="apply-title" data-step={step}>
      <h1 id="apply-title" ref={headingRef} tabIndex={-1}>
        {t.apply.title}: {t.apply.steps[step - 1]}
      </h1>
      <Progress step={step} />
      <form
        className="card apply-step"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step < STEPS) void go(step + 1);
        }}
      >
        {step === 1 && (
          <>
            <ContactField
              channel="phone"
              label={t.apply.phone}
              value={draft.phone ?? ''}
              confirmed={draft.confirmed.phone === draft.phone && Boolean(draft.phone)}
              onChange={(v) => update({ phone: v })}
              onConfirmed={accept}
              issue={fieldError('phone')}
            />
            <ContactField
              channel="phone2"
              label={`${t.apply.phone2} (${t.apply.optional})`}
              value={draft.phone2 ?? ''}
              confirmed={Boolean(draft.phone2) && draft.confirmed.phone2 === draft.phone2}
              onChange={(v) => update({ phone2: v || undefined })}
              onConfirmed={accept}
              issue={fieldError('phone2')}
            />
            <ContactField
              channel="email"
              label={`${t.apply.email} (${t.apply.optional})`}
              value={draft.email ?? ''}
              confirmed={Boolean(draft.email) && draft.confirmed.email === draft.email?.toLowerCase()}
              onChange={(v) => update({ email: v || undefined })}
              onConfirmed={accept}
              issue={fieldError('email')}
            />
          </>
        )}
        {step === 2 && (
          <>
            <TextField id="parentIin" label={t.apply.parentIin} value={applicantIin} readOnly />
            <TextField
              id="childIin"
              label={t.apply.childIin}
              value={draft.childIin ?? ''}
              inputMode="numeric"
              maxLength={12}
              onChange={(v) => update({ childIin: v })}
              hint={
                child.facts && child.iin === draft.childIin
                  ? interpolate(t.apply.childFromIin, {
                      date: formatDate(child.facts.birthDate),
                      sex: child.facts.sex === 'male' ? t.apply.sexMale : t.apply.sexFemale,
                    })
                  : undefined
              }
              error={issueText('childIin')}
            />
            <TextField
              id="childLastName"
              label={t.apply.childLastName}
              value={draft.childLastName ?? ''}
              onChange={(v) => update({ childLastName: v })}
              error={issueText('childLastName')}
            />
            <TextField
              id="childFirstName"
              label={t.apply.childFirstName}
              value={draft.childFirstName ?? ''}
              onChange={(v) => update({ childFirstName: v })}
              error={issueText('childFirstName')}
            />
            <TextField
              id="childMiddleName"
              label={`${t.apply.childMiddleName} (${t.apply.optional})`}
              value={draft.childMiddleName ?? ''}
              onChange={(v) => update({ childMiddleName: v || undefined })}
            />
          </>
        )}
        {step === 3 && <OrganisationStep draft={draft} update={update} fieldError={fieldError} />}
        {step === 4 && (
          <BenefitStep draft={draft} update={update} onAttached={accept} fieldError={fieldError} />
        )}
        {step === 5 && (
          <fieldset>
            <legend>{t.apply.steps[4]}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.notify ?? false}
                onChange={(e) => update({ notify: e.target.checked })}
              />{' '}
              {t.apply.notify}
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.notifySms ?? false}
                disabled={!draft.notify}
                onChange={(e) => update({ notifySms: e.target.checked })}
              />{' '}
              {t.apply.notifySms}
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={draft.notifyEmail ?? false}
                disabled={!draft.notify || !draft.email}
                onChange={(e) => update({ notifyEmail: e.target.checked })}
              />{' '}
              {t.apply.notifyEmail}
            </label>
            {fieldError('channels')}
            {fieldError('notify')}
            <label className="field" htmlFor="notifyLanguage">
              {t.apply.notifyLanguage}
            </label>
            <select
              id="notifyLanguage"
              value={draft.notifyLanguage ?? ''}
              onChange={(e) => update({ notifyLanguage: e.target.value === 'ru' ? 'ru' : 'kk' })}
            >
              <option value="" disabled>
                —
              </option>
              <option value="kk">{t.languages.kk}</option>
              <option value="ru">{t.languages.ru}</option>
            </select>
            {fieldError('notifyLanguage')}
          </fieldset>
        )}
        {step === 6 && (
          <div>
            <p className="panel-note">{t.apply.reviewInfo}</p>
            <h2>{t.apply.reviewTitle}</h2>
            {review ? (
              <Review review={review.document} xml={review.xml} proof={draft.proof} />
            ) : (
              <p className="muted" role="status">
                {t.app.loading}
              </p>
            )}
          </div>
        )}
        {error && <ErrorMessage error={describeError(error, t)} />}
        <div className="actions">
          <button
            type="button"
            className="button secondary"
            onClick={() => void go(step - 1)}
            disabled={step === 1}
          >
            {t.apply.back}
          </button>
          {step < STEPS ? (
            <button type="submit" className="button primary" data-action="next">
              {t.apply.next}
            </button>
          ) : (
            <button
              type="button"
              className="button primary"
              data-action="sign"
              disabled={!review}
              onClick={() => setSigning(true)}
            >
              {t.apply.sign}
            </button>
          )}
        </div>
      </form>
      {signing && review && (
        <SignDialog
          review={review.document}
          onCancel={() => setSigning(false)}
          onDone={(r) => {
            setSigning(false);
            setDone(r);
          }}
        />
      )}
    </section>
  );
}

/** The document main will sign, field by field in readable words, and the same document as signed. */
function Review({ review, xml, proof }: { review: ApplicationDocument; xml: string; proof: ApplicationDraft['proof'] }) {
  const { t, language } = useI18n();
  const regions = useCall('apply.regions', {});
  const services = useCall('apply.services', { region: review.region });
  const organisations = useCall('apply.organisations', {});
  const lookups = {
    regions: regions.data?.items ?? [],
    services: services.data?.items ?? [],
    organisations: organisations.data?.items ?? [],
    ...(proof ? { proof } : {}),
  };
  return (
    <>
      <dl className="apply-review" data-review>
        {(Object.keys(review) as Array<keyof ApplicationDocument>).map((k) => (
          <div key={k} className="details-row" data-field={k}>
            <dt>{t.apply.fields[k]}</dt>
            <dd>{reviewValue(k, review[k] ?? '', t, language, lookups)}</dd>
          </div>
        ))}
      </dl>
      <details className="apply-signed-xml">
        <summary>{t.apply.signedXml}</summary>
        <pre data-signed-xml tabIndex={0}>
          {xml}
        </pre>
      </details>
    </>
  );
}

function Progress({ step }: { step: number }) {
  const { t } = useI18n();
  return (
    <div className="apply-progress">
      <progress max={STEPS} value={step} aria-label={interpolate(t.apply.stepOf, { step, total: STEPS })} />
      <ol>
        {t.apply.steps.map((name, i) => (
          <li
            key={name}
            aria-current={i + 1 === step ? 'step' : undefined}
            className={i + 1 < step ? 'done' : undefined}
          >
            {name}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Start({
  draft,
  update,
  issues,
  onStart,
}: {
  draft: ApplicationDraft;
  update: (p: Partial<ApplicationDraft>) => void;
  issues: DraftIssue[];
  onStart: () => Promise<unknown>;
}) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const regions = useCall('apply.regions', {});
  const services = useCall(
    'apply.services',
    { region: draft.region ?? 'almaty-city' },
    { enabled: Boolean(draft.region) },
  );
  const consents = draft.consents ?? { rules: false, personalData: false, contacts: false };
  const wizard = services.data?.items.find((s) => s.availability === 'wizard');
  return (
    <section className="apply" aria-labelledby="apply-start">
      <h1 id="apply-start">{t.apply.title}</h1>
      <div className="card">
        <label htmlFor="region">{t.apply.region}</label>
        <select
          id="region"
          value={draft.region ?? ''}
          onChange={(e) => update({ region: e.target.value, step: 0 })}
        >
          <option value="" disabled>
            —
          </option>
          {regions.data?.items.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name[language]}
            </option>
          ))}
        </select>
        {issues.some((i) => i.field === 'region') && (
          <p className="field-error" role="alert">
            {t.apply.issues.REQUIRED}
          </p>
        )}
      </div>
      {services.data && (
        <section className="card" aria-labelledby="apply-services">
          <h2 id="apply-services">{t.apply.services}</h2>
          <ul className="service-list">
            {services.data.items.map((s) => (
              <li key={s.id} data-service={s.id}>
                <h3>{s.title[language]}</h3>
                <p>{s.description[language]}</p>
                {s.whereToGo && (
                  <p className="muted">
                    {t.apply.whereToGo} {s.whereToGo[language]}
                  </p>
                )}
                {s.availability === 'pmpk' && (
                  <button type="button" className="button secondary" onClick={() => navigate({ name: 'pmpkBook', applicationId: null })} data-action="pmpk-book">
                    {t.pmpk.book}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {wizard && (
        <section className="card" aria-labelledby="apply-rules">
          <h2 id="apply-rules">
            {t.apply.rulesTitle}: {wizard.title[language]}
          </h2>
          <ol>
            {t.apply.rulesSteps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
          <fieldset>
            <legend className="visually-hidden">{t.apply.rulesTitle}</legend>
            {(['rules', 'personalData', 'contacts'] as const).map((k) => (
              <label key={k} className="check">
                <input
                  type="checkbox"
                  name={k}
                  checked={consents[k]}
                  onChange={(e) => update({ consents: { ...consents, [k]: e.target.checked }, step: 0 })}
                />{' '}
                {
                  t.apply[
                    k === 'rules'
                      ? 'consentRules'
                      : k === 'personalData'
                        ? 'consentPersonalData'
                        : 'consentContacts'
                  ]
                }
              </label>
            ))}
          </fieldset>
          {issues.some((i) => i.field === 'consents') && (
            <p className="field-error" role="alert">
              {t.apply.issues.CONSENT_MISSING}
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              className="button primary"
              data-action="start"
              onClick={() => void onStart()}
            >
              {t.apply.start}
            </button>
            <button type="button" className="button secondary" onClick={() => navigate({ name: 'home' })}>
              {t.apply.cancel}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}

function OrganisationStep({
  draft,
  update,
  fieldError,
}: {
  draft: ApplicationDraft;
  update: (p: Partial<ApplicationDraft>) => void;
  fieldError: (f: string) => React.ReactNode;
}) {
  const { t, language } = useI18n();
  const orgs = useCall('apply.organisations', {
    ...(draft.language ? { language: draft.language } : {}),
    ...(draft.district ? { district: draft.district } : {}),
  });
  const chosen = new Set(draft.organisationIds);
  const categories = [
    ...new Set((orgs.data?.items ?? []).filter((o) => chosen.has(o.id)).flatMap((o) => o.categories)),
  ];
  return (
    <>
      <p className="panel-note">{t.apply.orgInfo}</p>
      <div className="filters">
        <label htmlFor="org-language">{t.apply.language}</label>
        <select
          id="org-language"
          value={draft.language ?? ''}
          onChange={(e) =>
            update({
              language: e.target.value === 'kk' || e.target.value === 'ru' ? e.target.value : undefined,
            })
          }
        >
          <option value="">{t.apply.any}</option>
          <option value="kk">{t.languages.kk}</option>
          <option value="ru">{t.languages.ru}</option>
        </select>
        <label htmlFor="org-district">{t.apply.district}</label>
        <select
          id="org-district"
          value={draft.district ?? ''}
          onChange={(e) => update({ district: e.target.value || undefined })}
        >
          <option value="">{t.apply.any}</option>
          {districtOptions(orgs.data?.districts ?? [], language).map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>{t.apply.organisations}</legend>
        {orgs.data?.items.map((o) => (
          <label key={o.id} className="check" data-organisation={o.id}>
            <input
              type="checkbox"
              checked={chosen.has(o.id)}
              onChange={(e) =>
                update({
                  organisationIds: e.target.checked
                    ? [...draft.organisationIds, o.id].slice(0, 4)
                    : draft.organisationIds.filter((id) => id !== o.id),
                })
              }
            />{' '}
            {inUiLanguage(language, o.nameKk, o.nameRu)} — {t.apply.kinds[o.kind]}, {inUiLanguage(language, o.district, o.districtRu)},{' '}
            {t.languages[o.language]}
          </label>
        ))}
        {fieldError('organisationIds')}
      </fieldset>
      <label htmlFor="category">{t.apply.category}</label>
      <select
        id="category"
        value={draft.category ?? ''}
        onChange={(e) => update({ category: e.target.value || undefined })}
      >
        <option value="">—</option>
        {categories.map((c) => (
          <option key={c} value={c}>
            {(t.categories as Record<string, string>)[c] ?? c}
          </option>
        ))}
      </select>
      {fieldError('category')}
    </>
  );
}

function BenefitStep(props: {
  draft: ApplicationDraft;
  update: (p: Partial<ApplicationDraft>) => void;
  onAttached: (s: { draft: ApplicationDraft; issues: DraftIssue[] }) => void;
  fieldError: (f: string) => React.ReactNode;
}) {
  const { draft, update, fieldError } = props;
  const api = useApi();
  const { t } = useI18n();
  const [path, setPath] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const has = draft.benefitType !== undefined && draft.benefitType !== 'none';
  const kinds = draft.benefitType === 'out_of_turn' ? OUT_OF_TURN : PRIORITY;
  const { canPickFile } = useSigningSetup();
  const attach = (file: string) => {
    setError(null);
    call(api, 'apply.attachProof', { path: file }).then(props.onAttached, (e: unknown) => setError(errorOf(e)));
  };
  const pickAndAttach = async () => {
    setError(null);
    try {
      const picked = await call(api, 'apply.pickProof', {});
      if (!picked) return;
      setPath(picked.path);
      attach(picked.path);
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return (
    <>
      <fieldset>
        <legend>{t.apply.benefit}</legend>
        <label className="check">
          <input
            type="radio"
            name="benefit"
            checked={draft.benefitType === 'none'}
            onChange={() => update({ benefitType: 'none', benefitKind: undefined })}
          />{' '}
          {t.apply.noBenefit}
        </label>
        <label className="check">
          <input
            type="radio"
            name="benefit"
            checked={has}
            onChange={() => update({ benefitType: 'priority' })}
          />{' '}
          {t.apply.hasBenefit}
        </label>
        {fieldError('benefitType')}
      </fieldset>
      {has && (
        <>
          <label htmlFor="benefitType">{t.apply.benefitType}</label>
          <select
            id="benefitType"
            value={draft.benefitType}
            onChange={(e) =>
              update({
                benefitType: e.target.value === 'out_of_turn' ? 'out_of_turn' : 'priority',
                benefitKind: undefined,
              })
            }
          >
            <option value="out_of_turn">{t.benefitTypes.out_of_turn}</option>
            <option value="priority">{t.benefitTypes.priority}</option>
          </select>
          <label htmlFor="benefitKind">{t.apply.benefitKind}</label>
          <select
            id="benefitKind"
            value={draft.benefitKind ?? ''}
            onChange={(e) => update({ benefitKind: e.target.value || undefined })}
          >
            <option value="">—</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t.apply.benefitKinds[k]}
              </option>
            ))}
          </select>
          {fieldError('benefitKind')}
          <div className="field">
            <label htmlFor="proofPath">{t.apply.proofPath}</label>
            <input id="proofPath" value={path} onChange={(e) => setPath(e.target.value)} />
            <div className="actions">
              {canPickFile && (
                // Electron: main's file dialog (held to removable media when the policy says so), then the upload.
                <button type="button" className="button secondary" data-action="pick-proof" onClick={() => void pickAndAttach()}>
                  {t.apply.chooseFile}
                </button>
              )}
              <button type="button" className="button secondary" data-action="attach" onClick={() => attach(path)}>
                {t.apply.attach}
              </button>
            </div>
            {draft.proof && (
              <p role="status">{interpolate(t.apply.attached, { name: draft.proof.filename })}</p>
            )}
            {fieldError('proof')}
            {error && <ErrorMessage error={describeError(error, t)} />}
          </div>
        </>
      )}
    </>
  );
}

function SignDialog({
  review,
  onCancel,
  onDone,
}: {
  review: ApplicationDocument;
  onCancel: () => void;
  onDone: (r: ApplicationSubmitResponse) => void;
}) {
  const api = useApi();
  const { t } = useI18n();
  return (
    <KeyDialog
      purpose="SIGN"
      summary={{
        title: t.apply.reviewTitle,
        lines: [
          { label: t.apply.fields.childIin, value: review.childIin },
          { label: t.apply.fields.organisationIds, value: review.organisationIds },
        ],
      }}
      onSign={async (choice) => {
        try {
          onDone(await call(api, 'apply.signAndSubmit', choice));
          return null;
        } catch (e) {
          return errorOf(e);
        }
      }}
      onCancel={onCancel}
    />
  );
}
