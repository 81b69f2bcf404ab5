/** The cabinet home's way to the sections of docs/cabinet.md: the event feed, my referrals, settings. */
import { useNavigate } from '../../app/navigation.ts';
import { useI18n } from '../../i18n/context.tsx';

export function CabinetSections() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const sections = [
    { name: 'feed', title: t.sections.feed, text: t.sections.feedText },
    { name: 'referrals', title: t.sections.referrals, text: t.sections.referralsText },
    { name: 'settings', title: t.sections.settings, text: t.sections.settingsText },
  ] as const;
  return (
    <>
      {sections.map((s) => (
        <section key={s.name} className="card" aria-labelledby={`home-${s.name}`}>
          <h2 id={`home-${s.name}`}>{s.title}</h2>
          <p className="muted">{s.text}</p>
          <button type="button" className="button primary" onClick={() => navigate({ name: s.name })} aria-describedby={`home-${s.name}`}>
            {t.sections.open}
          </button>
        </section>
      ))}
    </>
  );
}
