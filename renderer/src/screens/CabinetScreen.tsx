/**
 * The cabinet home: who is signed in, and the sections the next release fills. The sections are
 * marked as coming; they show no made-up data.
 */
import type { User } from '../../../contract/contract.ts';
import { interpolate } from '../i18n/index.ts';
import { useI18n } from '../i18n/context.tsx';

export function CabinetScreen({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t } = useI18n();
  const sections = [
    { title: t.cabinet.applicationsTitle, text: t.cabinet.applicationsText },
    { title: t.cabinet.feedTitle, text: t.cabinet.feedText },
    { title: t.cabinet.kindergartensTitle, text: t.cabinet.kindergartensText },
  ];
  return (
    <section className="cabinet" aria-labelledby="cabinet-title">
      <div className="panel cabinet-head">
        <div>
          <p className="eyebrow">{t.cabinet.title}</p>
          <h1 id="cabinet-title">{interpolate(t.cabinet.greeting, { name: user.commonName })}</h1>
          <p className="muted">{interpolate(t.cabinet.iinLine, { iin: user.iin })}</p>
          {user.email && <p className="muted">{interpolate(t.cabinet.emailLine, { email: user.email })}</p>}
        </div>
        <button type="button" className="button secondary" onClick={onLogout}>
          {t.cabinet.logout}
        </button>
      </div>
      <ul className="cards">
        {sections.map((s) => (
          <li key={s.title} className="card" aria-disabled="true">
            <h2>{s.title}</h2>
            <p>{s.text}</p>
            <span className="badge badge-coming">{t.cabinet.comingSoon}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
