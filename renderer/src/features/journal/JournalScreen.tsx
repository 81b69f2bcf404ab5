/**
 * «Өтініштер журналы»: the applicant's applications in the seed's twelve columns, sorted by a
 * column header, filtered by status and a search box, virtualised (only the rows in view are in
 * the page), so 10,000 rows stay smooth. A row opens the application card.
 */
import { Fragment, memo, useCallback, useMemo, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { JOURNAL_STATUSES, type JournalRow, type JournalStatus } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { interpolate } from '../../i18n/index.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { journalCells, type OfferDeadlines } from './columns.tsx';
import { DEFAULT_SORT, JOURNAL_COLUMNS, journalView, nextSort, type JournalSort } from './rows.ts';
import { portalStatusFor, truncation } from './journal-limit.ts';
import { PageHeading } from '../../shared/PageHeading.tsx';

/** Every row is this tall (styles.css .journal-row): the virtualiser never measures one. */
const ROW_HEIGHT = 52;
const rowHeight = () => ROW_HEIGHT;
/** Rows drawn beyond the view at either end (a short scroll shows rows already drawn). */
const OVERSCAN = 8;
type JournalCells = ReturnType<typeof journalCells>;

export function JournalScreen() {
  const { t } = useI18n();
  const [status, setStatus] = useState<JournalStatus | undefined>();
  const [portalStatus, setPortalStatus] = useState<JournalStatus | undefined>();
  // The previous rows stay on screen while the portal filters (the table keeps its sort and search).
  const journal = useCall('cabinet.journal', portalStatus ? { status: portalStatus } : {}, { placeholderData: keepPreviousData });
  const offers = useCall('cabinet.offers', {});
  const deadlines = useMemo<OfferDeadlines>(
    () => new Map((offers.data?.items ?? []).flatMap((o) => (o.expiresAt ? [[o.applicationId, { expiresAt: o.expiresAt, provisional: o.deadlineProvisional }] as const] : []))),
    [offers.data],
  );
  return (
    <section className="journal" aria-labelledby="journal-title">
      <PageHeading id="journal-title" title={t.journal.title} />
      <QueryView query={journal} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.journal.emptyNote}</p>}>
        {(data) => (
          <JournalTable
            rows={data.items}
            total={data.total}
            deadlines={deadlines}
            status={status}
            onStatus={(next) => {
              setStatus(next);
              setPortalStatus(portalStatusFor(next, truncation(data) !== null, portalStatus !== undefined));
            }}
          />
        )}
      </QueryView>
    </section>
  );
}

interface JournalTableProps {
  rows: JournalRow[];
  total: number;
  deadlines: OfferDeadlines;
  status: JournalStatus | undefined;
  onStatus: (status: JournalStatus | undefined) => void;
}

function JournalTable({ rows, total, deadlines, status, onStatus }: JournalTableProps) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [sort, setSort] = useState<JournalSort>(DEFAULT_SORT);
  const [search, setSearch] = useState('');
  const cells = useMemo(() => journalCells(t, deadlines), [t, deadlines]);
  const shown = useMemo(() => journalView(rows, sort, status, search), [rows, sort, status, search]);
  // State, not a ref: the body's virtualiser needs the element, which is attached after the body's own effects run.
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const cut = truncation({ items: rows, total });
  const open = useCallback((row: JournalRow) => navigate({ name: 'application', applicationId: row.id, tab: 'info' }), [navigate]);

  return (
    <>
      <div className="table-tools">
        <label className="field compact">
          <span className="field-label">{t.journal.search}</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="field compact">
          <span className="field-label">{t.journal.statusFilter}</span>
          <select value={status ?? ''} onChange={(e) => onStatus(JOURNAL_STATUSES.find((s) => s === e.target.value))}>
            <option value="">{t.journal.allStatuses}</option>
            {JOURNAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.statuses[s]}
              </option>
            ))}
          </select>
        </label>
        <p className="table-count" role="status">
          {plural(language, t.plurals.applications, shown.length)}
        </p>
      </div>
      {cut && (
        <p className="warning journal-cut" role="note">
          {interpolate(t.journal.truncated, { shown: cut.shown.toLocaleString(language), total: cut.total.toLocaleString(language) })}
        </p>
      )}
      <p className="muted small">{t.journal.openHint}</p>
      <div ref={setScrollElement} className="table-scroll" data-testid="journal-scroll">
        <table className="journal-table" aria-rowcount={shown.length + 1} aria-labelledby="journal-title">
          <thead>
            <tr aria-rowindex={1}>
              {JOURNAL_COLUMNS.map((id) => {
                const sorted = sort.column === id ? (sort.desc ? 'descending' : 'ascending') : 'none';
                return (
                  <th key={id} className={`col-${id}`} aria-sort={sorted}>
                    <button type="button" className="sort-button" onClick={() => setSort((current) => nextSort(current, id))}>
                      {t.journal.columns[id]}
                      <span className="sort-mark" aria-hidden="true">
                        {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <JournalBody rows={shown} cells={cells} scrollElement={scrollElement} onOpen={open} />
        </table>
        {shown.length === 0 && <p className="panel-note">{t.journal.noMatch}</p>}
      </div>
    </>
  );
}

interface JournalBodyProps {
  rows: readonly JournalRow[];
  cells: JournalCells;
  scrollElement: HTMLDivElement | null;
  onOpen: (row: JournalRow) => void;
}

/**
 * The rows in view (and a few either side). Its own component so that a scroll, which changes
 * the virtualiser's range, renders only this, not the tools and the headers above it.
 */
function JournalBody({ rows, cells, scrollElement, onOpen }: JournalBodyProps) {
  // Stable while the rows are: a new getItemKey makes the virtualiser lay out all rows again, on every scrolled frame.
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollElement,
    estimateSize: rowHeight,
    getItemKey,
    overscan: OVERSCAN,
  });
  return (
    <tbody style={{ height: `${virtualizer.getTotalSize()}px` }}>
      {virtualizer.getVirtualItems().map((item) => {
        const row = rows[item.index];
        return row ? <JournalRowView key={row.id} row={row} index={item.index} start={item.start} cells={cells} onOpen={onOpen} /> : null;
      })}
    </tbody>
  );
}

interface JournalRowViewProps {
  row: JournalRow;
  index: number;
  start: number;
  cells: JournalCells;
  onOpen: (row: JournalRow) => void;
}

/**
 * One row; rendered again only when it moves or its data or cells (language, deadlines) change,
 * not on every scrolled frame. Placed by `top`, not a transform: a transform per row is a paint
 * property node and a paint chunk per row for the compositor to sort through on every frame.
 */
const JournalRowView = memo(function JournalRowView({ row, index, start, cells, onOpen }: JournalRowViewProps) {
  return (
    <tr aria-rowindex={index + 2} className="journal-row" style={{ top: start }} onClick={() => onOpen(row)}>
      {cells.map(([id, show]) =>
        id === 'number' ? (
          <td key={id} className="col-number">
            <button type="button" className="row-open" onClick={(e) => (e.stopPropagation(), onOpen(row))}>
              <BreakAfterDots text={row.number} />
            </button>
          </td>
        ) : (
          <td key={id} className={`col-${id}`}>
            {show(row)}
          </td>
        ),
      )}
    </tr>
  );
});

/** An application number (KDDO.2021.802010.1) that may wrap only after its dots, never inside a part. */
function BreakAfterDots({ text }: { text: string }) {
  const parts = text.split('.');
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          .<wbr />
        </>
      )}
    </Fragment>
  ));
}
