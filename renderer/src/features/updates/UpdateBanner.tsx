/**
 * A home install's update, downloaded and checked by main (main/updates.ts): a small banner in the
 * cabinet offers to restart and install it; "Later" hides it (main installs it at quit anyway).
 * Never in a kiosk, where the app does not update itself (docs/kiosk.md, "Updates").
 */
import { useEffect, useState } from 'react';
import type { AppError, JoldamaApi, JoldamaEvents } from '../../../../contract/contract.ts';
import { describeError } from '../../errors.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';

/** The version ready to install: asked once (it may be ready before the window), then from `update.ready`. */
export function useUpdateReady(api: JoldamaApi, events: JoldamaEvents, enabled: boolean): string | null {
  const [version, setVersion] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void api['update.status']({}).then((r) => live && r.ok && r.value.ready && setVersion(r.value.ready.version));
    const stop = events.onEvent((event) => {
      if (event.name === 'update.ready') setVersion(event.payload.version);
    });
    return () => {
      live = false;
      stop();
    };
  }, [api, events, enabled]);
  return enabled ? version : null;
}

export function UpdateBanner({ version, onInstall }: { version: string; onInstall: () => Promise<AppError | null> }) {
  const { t } = useI18n();
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  if (hidden) return null;
  const shown = error ? describeError(error, t) : null;
  return (
    <div className="notice update-banner" role="status">
      <span>{interpolate(t.updates.ready, { version })}</span>{' '}
      <button type="button" className="button primary" onClick={() => void onInstall().then(setError)}>
        {t.updates.install}
      </button>{' '}
      <button type="button" className="button secondary" onClick={() => setHidden(true)}>
        {t.updates.later}
      </button>
      {shown && <p className="muted">{`${shown.title}. ${shown.action}`}</p>}
    </div>
  );
}
