/** Loading, error (translated, with "try again") and empty states of a query, the same on every screen. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n/context.tsx';
import { errorOf, type CallError } from '../app/api.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';

interface QueryViewProps<T> {
  query: UseQueryResult<T, CallError>;
  /** When the data counts as empty, `empty` is shown instead of `children`. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

export function QueryView<T>({ query, isEmpty, empty, children }: QueryViewProps<T>) {
  const { t } = useI18n();
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        {t.app.loading}
      </p>
    );
  }
  if (query.isError) {
    return (
      <div className="query-error">
        <ErrorMessage error={describeError(errorOf(query.error), t)} />
        <button type="button" className="button secondary" onClick={() => void query.refetch()}>
          {t.nav.retry}
        </button>
      </div>
    );
  }
  if (isEmpty?.(query.data)) return <div className="empty-state">{empty}</div>;
  return <>{children(query.data)}</>;
}
