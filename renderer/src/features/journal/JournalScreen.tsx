/**
 * «Өтініштер журналы»: the applicant's applications in the seed's twelve columns, sorted by a
 * column header, filtered by status and a search box, virtualised (only the rows in view are in
 * the page), so 10,000 rows stay smooth. A row opens the application card.
 */
import { Fragment, useMemo, useRef, useState } from 'react';
import { useTable, type ColumnFiltersState, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { JournalRow } from '../../../../protocol/portal-api.ts';
import { useCall } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { journalColumns, journalFeatures, matchesSearch, type OfferDeadlines } from './columns.tsx';

const ROW_HEIGHT = 52;
const STATUSES = ['in_queue', 'notification_sent', 'referral_issued', 'enrolled', 'left', 'dequeued'] as const;

export function JournalScreen() {
  const { t } = useI18n();
  const journal = useCall('cabinet.journal', {});
  const offers = useCall('cabinet.offers', {});
  const deadlines = useMemo<OfferDeadlines>(
    () => new Map((offers.data?.items ?? []).flatMap((o) => (o.expiresAt ? [[o.applicationId, o.expiresAt] as const] : []))),
    [offers.data],
  );
  return (
    <section className="journal" aria-labelledby="journal-title">
      <div className="page-head">
        <h1 id="journal-title">{t.journal.title}</h1>
      </div>
      <QueryView query={journal} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.journal.emptyNote}</p>}>
        {(data) => <JournalTable rows={data.items} deadlines={deadlines} />}
      </QueryView>
    </section>
  );
}

function JournalTable({ rows, deadlines }: { rows: JournalRow[]; deadlines: OfferDeadlines }) {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'createdAt', desc: true }]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [search, setSearch] = useState('');
  const columns = useMemo(() => journalColumns(t, deadlines), [t, deadlines]);

  const table = useTable({
    features: journalFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { sorting, columnFilters, globalFilter: search },
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
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
  const statusFilter = (columnFilters.find((f) => f.id === 'status')?.value as string | undefined) ?? '';
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
          <select
            value={statusFilter}
            onChange={(e) => setColumnFilters(e.target.value ? [{ id: 'status', value: e.target.value }] : [])}
          >
            <option value="">{t.journal.allStatuses}</option>
            {STATUSES.map((s) => (
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
