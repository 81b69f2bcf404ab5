/**
 * «Оқиғалар таспасы» (docs/cabinet.md, Event feed): status changes of the applicant's applications,
 * newest first, in words (never the portal's codes), the unread ones marked; "Mark all as read"
 * moves the portal's read mark to the newest event.
 */
import { useQueryClient } from '@tanstack/react-query';
import type { FeedEvent } from '../../../../protocol/portal-api.ts';
import { errorOf, queryKey, useCall, useCallMutation } from '../../app/api.tsx';
import { useNavigate } from '../../app/navigation.ts';
import { describeError } from '../../errors.ts';
import { formatDateTime } from '../../format.ts';
import { interpolate, type Dictionary } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { QueryView } from '../../shared/QueryView.tsx';
import { PageHeading } from '../../shared/PageHeading.tsx';

/** The event in words: its kind when the app knows it, else the status it set, else a plain "changed". */
export function feedEventText(t: Dictionary, event: Pick<FeedEvent, 'kind' | 'status'>): string {
  const has = (table: Record<string, string>, key: string | null): key is string => key !== null && Object.prototype.hasOwnProperty.call(table, key);
  if (has(t.history.events, event.kind)) return t.history.events[event.kind as keyof Dictionary['history']['events']];
  if (has(t.statuses, event.status)) return t.statuses[event.status as keyof Dictionary['statuses']];
  return t.feed.otherEvent;
}

export function FeedScreen() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const feed = useCall('cabinet.feed', {});
  const markRead = useCallMutation('cabinet.feedRead', { onSuccess: () => client.invalidateQueries({ queryKey: queryKey('cabinet.feed', {}) }) });
  return (
    <section aria-labelledby="feed-title">
      <PageHeading id="feed-title" title={t.feed.title} subtitle={t.feed.intro} />
      <QueryView query={feed} isEmpty={(d) => d.items.length === 0} empty={<p className="panel-note">{t.feed.empty}</p>}>
        {(data) => {
          const unread = data.items.filter((e) => !e.read);
          const newest = data.items.reduce((max, e) => (Number(e.id) > Number(max) ? e.id : max), '0');
          return (
            <>
              <div className="page-actions">
                <p className="muted" role="status">
                  {interpolate(t.feed.unreadCount, { count: unread.length })}
                </p>
                {unread.length > 0 && (
                  <button type="button" className="button secondary" disabled={markRead.isPending} onClick={() => markRead.mutate({ upTo: newest })}>
                    {t.feed.markRead}
                  </button>
                )}
              </div>
              {markRead.isError && <ErrorMessage error={describeError(errorOf(markRead.error), t)} />}
              <ol className="feed-list">
                {data.items.map((event) => (
                  <li key={event.id} className={event.read ? 'feed-item' : 'feed-item unread'} data-read={event.read}>
                    <p className="feed-head">
                      {!event.read && <span className="badge badge-personal">{t.feed.unread}</span>}
                      <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                    </p>
                    <p className="feed-text">
                      <strong>{feedEventText(t, event)}</strong>
                      {' · '}
                      {interpolate(t.feed.application, { number: event.applicationNumber })}
                    </p>
                    {event.applicationId && (
                      <button
                        type="button"
                        className="button link"
                        onClick={() => navigate({ name: 'application', applicationId: event.applicationId as string, tab: 'history' })}
                      >
                        {t.feed.open}
                      </button>
                    )}
                  </li>
                ))}
              </ol>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
