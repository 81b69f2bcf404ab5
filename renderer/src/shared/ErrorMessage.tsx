/** A translated error: title, what to do, and the code for support. Takes focus when it appears. */
import { useEffect, useRef } from 'react';
import type { ShownError } from '../errors.ts';
import { interpolate } from '../i18n/index.ts';
import { useI18n } from '../i18n/context.tsx';

export function ErrorMessage({ error, id }: { error: ShownError; id?: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [error.code]);
  return (
    <div ref={ref} id={id} className="error-message" role="alert" tabIndex={-1} data-error-code={error.code}>
      <p className="error-title">{error.title}</p>
      <p className="error-action">{error.action}</p>
      <p className="error-code">{interpolate(t.errorCodeLabel, { code: error.code })}</p>
    </div>
  );
}
