/**
 * «Өтініштер журналы»: the applicant's applications in the seed's twelve columns, sorted by a
 * column header, filtered by status and a search box, virtualised (only the rows in view are in
 * the page), so 10,000 rows stay smooth. A row opens the application card.
 */
import { Fragment, memo, useCallback, useMemo, useRef, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import { FlexRender, useTable, type Row, type SortingState } from '@tanstack/react-table';
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
import { PageHeading } from '../../shared/PageHeading.tsx';

/** Every row is this tall (styles.css .journal-row): the virtualiser never measures one. */
const ROW_HEIGHT = 52;
const rowHeight = () => ROW_HEIGHT;
const getRowId = (row: JournalRow) => row.id;
const searchFilter = (row: Row<typeof journalFeatures, JournalRow>, _columnId: string, value: string) => matchesSearch(row.original, value);

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
  const [sorting, setSorting] = useState<SortingState>([{ id: 'createdAt', desc: true }]);
  const [search, setSearch] = useState('');
  const columns = useMemo(() => journalColumns(t, deadlines), [t, deadlines]);

  // The same array while the status is: a new one makes the table filter all rows again, on every scrolled frame.
  const columnFilters = useMemo(() => (status ? [{ id: 'status', value: status }] : []), [status]);
  const table = useTable({
    features: journalFeatures,
    columns,
    data: rows,
    getRowId,
    state: { sorting, columnFilters, globalFilter: search },
    onSortingChange: setSorting,
    onGlobalFilterChange: setSearch,
    globalFilterFn: searchFilter,
    enableSortingRemoval: false,
  });
  const shown = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable while the rows are: a new getItemKey makes the virtualiser lay out all rows again, on every scrolled frame.
  const getItemKey = useCallback((index: number) => shown[index]?.id ?? index, [shown]);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    getItemKey,
    overscan: 8,
  });
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
              return row ? <JournalRowView key={row.id} row={row} index={item.index} start={item.start} columns={columns} onOpen={open} /> : null;
            })}
          </tbody>
        </table>
        {shown.length === 0 && <p className="panel-note">{t.journal.noMatch}</p>}
      </div>
    </>
  );
}

interface JournalRowViewProps {
  row: Row<typeof journalFeatures, JournalRow>;
  index: number;
  start: number;
  /** Not read: a new set of columns (language, deadlines) renders the row again. */
  columns: unknown;
  onOpen: (row: JournalRow) => void;
}

/** One row; rendered again only when it moves or its data or columns change, not on every scrolled frame. */
const JournalRowView = memo(function JournalRowView({ row, index, start, onOpen }: JournalRowViewProps) {
  return (
    <tr aria-rowindex={index + 2} className="journal-row" style={{ transform: `translateY(${start}px)` }} onClick={() => onOpen(row.original)}>
      {row.getAllCells().map((cell) =>
        cell.column.id === 'number' ? (
          <td key={cell.id} className="col-number">
            <button type="button" className="row-open" onClick={(e) => (e.stopPropagation(), onOpen(row.original))}>
              <BreakAfterDots text={row.original.number} />
            </button>
          </td>
        ) : (
          <td key={cell.id} className={`col-${cell.column.id}`}>
            <FlexRender cell={cell} />
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
