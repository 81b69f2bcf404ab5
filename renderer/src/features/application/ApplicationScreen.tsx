/**
 * The application card, with the seed's three tabs: application information (applicant, child,
 * application), change history, general documents. «Кезектен алу» asks first what it means;
 * «Коррекциялық балабақшаны таңдау» shows only when there are places to choose.
 */
import { useId, useRef, type KeyboardEvent } from 'react';
import type { ApplicationCard } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate, type ApplicationTab } from '../../app/navigation.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { DocumentsTab } from '../documents/DocumentsTab.tsx';
import { HistoryTab } from './HistoryTab.tsx';
import { InfoTab } from './InfoTab.tsx';
import { PageHeading } from '../../shared/PageHeading.tsx';

const TABS: ApplicationTab[] = ['info', 'history', 'documents'];

export function ApplicationScreen({ applicationId, tab }: { applicationId: string; tab: ApplicationTab }) {
  const { t } = useI18n();
  const card = useCall('cabinet.application', { applicationId });
  return (
    <section className="application" aria-labelledby="application-title">
      <QueryView query={card}>{(data) => <ApplicationView card={data} tab={tab} />}</QueryView>
      {card.isPending && <h1 id="application-title" className="visually-hidden">{t.application.tabInfo}</h1>}
    </section>
  );
}

function ApplicationView({ card, tab }: { card: ApplicationCard; tab: ApplicationTab }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const ids = useId();
  const tabRefs = useRef<Record<ApplicationTab, HTMLButtonElement | null>>({ info: null, history: null, documents: null });
  const labels: Record<ApplicationTab, string> = {
    info: t.application.tabInfo,
    history: t.application.tabHistory,
    documents: t.application.tabDocuments,
  };
  const select = (next: ApplicationTab) => navigate({ name: 'application', applicationId: card.id, tab: next });

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>) {
    const i = TABS.indexOf(tab);
    const next = { ArrowRight: TABS[(i + 1) % TABS.length], ArrowLeft: TABS[(i + TABS.length - 1) % TABS.length], Home: TABS[0], End: TABS[TABS.length - 1] }[e.key];
    if (!next) return;
    e.preventDefault();
    select(next);
    tabRefs.current[next]?.focus();
  }

  return (
    <>
      <PageHeading
        id="application-title"
        title={interpolate(t.application.title, { number: card.application.number })}
        subtitle={card.child.fullName}
      />
      <div className="tabs" role="tablist" aria-label={t.application.tabsLabel}>
        {TABS.map((name) => (
          <button
            key={name}
            ref={(el) => {
              tabRefs.current[name] = el;
            }}
            type="button"
            role="tab"
            id={`${ids}-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${ids}-panel`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => select(name)}
            onKeyDown={onTabKey}
            data-tab={name}
          >
            {labels[name]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${tab}`} className="tab-panel">
        {tab === 'info' && <InfoTab card={card} />}
        {tab === 'history' && <HistoryTab applicationId={card.id} />}
        {tab === 'documents' && <DocumentsTab applicationId={card.id} applicationNumber={card.application.number} />}
      </div>
    </>
  );
}
