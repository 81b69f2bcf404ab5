/**
 * A kiosk's first screen, shown to each new person (docs/kiosk.md): the language, how to sign in
 * with what this kiosk allows (a token only when one can be used here: kiosk-steps.ts), how to
 * leave, and whom to call. "Start" leads to the login screen.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { PolicyView } from '../../../../contract/contract.ts';
import { useApi } from '../../app/api.tsx';
import { languageNames, languageTags } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { SupportContacts } from '../cabinet/SupportContacts.tsx';
import { kioskSteps, type KioskStep } from './kiosk-steps.ts';

/** Whether main can use tokens here (keys.tokens answers), asked again on each tokens.changed; false until it answers. */
function useTokensAvailable(allowed: boolean, onTokensChanged?: (listener: () => void) => () => void): boolean {
  const api = useApi();
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    const look = () => void api['keys.tokens']({}).then((result) => live && setAvailable(result.ok));
    look();
    const stop = onTokensChanged?.(look);
    return () => {
      live = false;
      stop?.();
    };
  }, [allowed, api, onTokensChanged]);
  return allowed && available;
}

export function KioskStartScreen({
  policy,
  onStart,
  onTokensChanged,
}: {
  policy: PolicyView;
  onStart: () => void;
  onTokensChanged?: (listener: () => void) => () => void;
}) {
  const { t, language, setLanguage } = useI18n();
  const tokensAvailable = useTokensAvailable(policy.keySources.includes('token'), onTokensChanged);
  const pictures: Record<KioskStep, { picture: ReactNode; text: string }> = {
    file: { picture: <UsbPicture />, text: t.kiosk.stepFile },
    token: { picture: <TokenPicture />, text: t.kiosk.stepToken },
    key: { picture: <KeyPicture />, text: t.kiosk.stepKey },
    password: { picture: <KeyPicture />, text: t.kiosk.stepPassword },
    end: { picture: <ExitPicture />, text: t.kiosk.stepEnd },
  };
  const steps = kioskSteps(policy, tokensAvailable).map((step) => pictures[step]);
  return (
    <section className="panel kiosk-start" aria-labelledby="kiosk-title">
      <h1 id="kiosk-title">{t.kiosk.title}</h1>
      <p className="lead">{t.kiosk.lead}</p>
      {setLanguage && policy.languages.length > 1 && (
        <div className="kiosk-languages" role="group" aria-label={t.kiosk.chooseLanguage}>
          {policy.languages.map((lang) => (
            <button
              key={lang}
              type="button"
              lang={languageTags[lang]}
              className={lang === language ? 'button primary large' : 'button secondary large'}
              aria-pressed={lang === language}
              onClick={() => setLanguage(lang)}
            >
              {languageNames[lang]}
            </button>
          ))}
        </div>
      )}
      <h2>{t.kiosk.howTitle}</h2>
      <ol className="kiosk-steps">
        {steps.map((step) => (
          <li key={step.text}>
            {step.picture}
            <span>{step.text}</span>
          </li>
        ))}
      </ol>
      <button type="button" className="button primary large" onClick={onStart} data-action="kiosk-start">
        {t.kiosk.start}
      </button>
      <SupportContacts />
    </section>
  );
}

// Small line pictures for the steps (decorative: the text says it all).
const picture = { width: 48, height: 48, viewBox: '0 0 48 48', 'aria-hidden': true, focusable: false, className: 'kiosk-picture' } as const;

function UsbPicture() {
  return (
    <svg {...picture}>
      <rect x="16" y="4" width="16" height="12" rx="1" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <rect x="12" y="16" width="24" height="28" rx="4" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <path d="M21 8h2M25 8h2" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}
function TokenPicture() {
  return (
    <svg {...picture}>
      <rect x="6" y="12" width="36" height="24" rx="4" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <rect x="12" y="19" width="10" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <path d="M28 21h9M28 27h6" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}
function KeyPicture() {
  return (
    <svg {...picture}>
      <circle cx="15" cy="24" r="8" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <path d="M23 24h20M36 24v7M42 24v5" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}
function ExitPicture() {
  return (
    <svg {...picture}>
      <path d="M22 8H9v32h13" fill="none" stroke="currentColor" strokeWidth="2.5" />
      <path d="M18 24h24M34 16l8 8-8 8" fill="none" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}
