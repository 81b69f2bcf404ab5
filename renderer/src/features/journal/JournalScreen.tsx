/**
 * «Өтініштер журналы»: the applicant's applications in the seed's twelve columns, sorted by a
 * column header, filtered by status and a search box, virtualised (only the rows in view are in
 * the page), so 10,000 rows stay smooth. A row opens the application card.
 */
import { Fragment, useMemo, useRef, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import { useTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { JOURNAL_STATUSES, type JournalRow, type JournalStatus } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { interpolate } from '../../i18n/index.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { journalColumns, journalFeatures, matchesSearch, type OfferDeadlines } from './columns.tsx';
import { portalStatusFor, truncation } from './journal-limit.ts';

const ROW_HEIGHT = 52;

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
      <div className="page-head">
        <h1 id="journal-title">{t.journal.title}</h1>
      </div>
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
  const [sorting, setSorting] = useState<SortingState>([{ id: 'createdAt', desc: true }]);
  const [search, setSearch] = useState('');
  const columns = useMemo(() => journalColumns(t, deadlines), [t, deadlines]);

  const table = useTable({
    features: journalFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { sorting, columnFilters: status ? [{ id: 'status', value: status }] : [], globalFilter: search },
    onSortingChange: setSorting,
    onGlobalFilterChange: setSearch,
    globalFilterFn: (row, _columnId, value: string) => matchesSearch(row.original, value),
    enableSortingRemoval: false,
  });
  const shown = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => shown[index]?.id ?? index,
    overscan: 8,
  });
  const cut = truncation({ items: rows, total });
  const count = new Intl.NumberFormat(language);
  const open = (row: JournalRow) => navigate({ name: 'application', applicationId: row.id, tab: 'info' });

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
          {interpolate(t.journal.truncated, { shown: count.format(cut.shown), total: count.format(cut.total) })}
        </p>
      )}
      <p className="muted small">{t.journal.openHint}</p>
      <div ref={scrollRef} className="table-scroll" data-testid="journal-scroll">
        <table className="journal-table" aria-rowcount={shown.length + 1} aria-labelledby="journal-title">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      className={`col-${header.column.id}`}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    >
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody style={{ height: `${virtualizer.getTotalSize()}px` }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = shown[item.index];
              if (!row) return null;
              return (
                <tr
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  className="journal-row"
                  style={{ transform: `translateY(${item.start}px)` }}
                  onClick={() => open(row.original)}
                >
                  {row.getAllCells().map((cell) =>
                    cell.column.id === 'number' ? (
                      <td key={cell.id} className="col-number">
                        <button type="button" className="row-open" onClick={(e) => (e.stopPropagation(), open(row.original))}>
                          <BreakAfterDots text={row.original.number} />
                        </button>
                      </td>
                    ) : (
                      <td key={cell.id} className={`col-${cell.column.id}`}>
                        <table.FlexRender cell={cell} />
                      </td>
                    ),
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 && <p className="panel-note">{t.journal.noMatch}</p>}
      </div>
    </>
  );
}

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
