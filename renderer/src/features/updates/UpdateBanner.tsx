/**
 * A home install's update, downloaded and checked by main (main/updates.ts): a small banner in the
 * cabinet offers to restart and install it; "Later" hides it (main installs it at quit anyway).
 * A download main refused (its release-key signature missing or wrong: deleted, nothing
 * installed) gets a banner saying so, translated, with what to do. Never in a kiosk, where the app
 * does not update itself (docs/kiosk.md, "Updates").
 */
import { useEffect, useState } from 'react';
import type { AppError, JoldamaApi, JoldamaEvents, UpdateRefused } from '../../../../contract/contract.ts';
import { describeError } from '../../errors.ts';
import { interpolate } from '../../i18n/index.ts';
import { useI18n } from '../../i18n/context.tsx';

export interface UpdateState {
  /** The version ready to install. */
  ready: string | null;
  /** The last download main refused, unless one is ready since. */
  refused: UpdateRefused | null;
}

const NOTHING: UpdateState = { ready: null, refused: null };

/** Main's update state: asked once (it may be known before the window), then from `update.ready` / `update.refused`. */
export function useUpdateState(api: JoldamaApi, events: JoldamaEvents, enabled: boolean): UpdateState {
  const [state, setState] = useState<UpdateState>(NOTHING);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void api['update.status']({}).then((r) => live && r.ok && setState({ ready: r.value.ready?.version ?? null, refused: r.value.refused }));
    const stop = events.onEvent((event) => {
      if (event.name === 'update.ready') setState({ ready: event.payload.version, refused: null });
      if (event.name === 'update.refused') setState({ ready: null, refused: event.payload });
    });
    return () => {
      live = false;
      stop();
    };
  }, [api, events, enabled]);
  return enabled ? state : NOTHING;
}

/** A download main refused: which version, why in the user's words, what to do; closable. */
export function UpdateRefusedBanner({ refused }: { refused: UpdateRefused }) {
  const { t } = useI18n();
  const [hidden, setHidden] = useState(false);
  if (hidden) return null;
  const shown = describeError({ code: refused.code }, t);
  return (
    <div className="notice update-banner update-refused" role="status" data-error-code={refused.code}>
      <p>
        <strong>{interpolate(t.updates.refused, { version: refused.version })}</strong> {`${shown.title}. ${shown.action}`}
      </p>
      <button type="button" className="button secondary" onClick={() => setHidden(true)}>
        {t.updates.dismiss}
      </button>
    </div>
  );
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
