/**
 * Settings → "Signing on web sites (NCALayer)" (docs/ncalayer.md, "In the app"): the service on or
 * off (off by default; the administrator's policy may fix it), a port NCALayer holds said plainly,
 * and the trust step for the service's 127.0.0.1 certificate: the steps for this OS, and, where it
 * needs no administrator rights (Windows' user store, Linux's NSS database), a button that adds it
 * for this user. Nothing is added without that press.
 */
import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AppError, NcaLayerStatus } from '../../../../contract/contract.ts';
import { call, errorOf, queryKey, useApi, useCall } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n/context.tsx';
import { interpolate } from '../../i18n/index.ts';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { QueryView } from '../../shared/QueryView.tsx';

export function NcaLayerSettings() {
  const status = useCall('ncalayer.status', {});
  return <QueryView query={status}>{(data) => <NcaLayerCard status={data} />}</QueryView>;
}

/** The commands docs/ncalayer.md gives, for the steps shown by hand. */
function manualCommand(status: NcaLayerStatus): string {
  const file = status.certificate?.path ?? '';
  if (status.trust.os === 'macos') return `security add-trusted-cert -r trustRoot -p ssl -k ~/Library/Keychains/login.keychain-db "${file}"`;
  if (status.trust.os === 'windows') return `certutil -user -addstore Root "${file}"`;
  return `certutil -d sql:$HOME/.pki/nssdb -A -t "P,," -n "Joldama local signing service" -i "${file}"`;
}

function NcaLayerCard({ status }: { status: NcaLayerStatus }) {
  const { t } = useI18n();
  const api = useApi();
  const client = useQueryClient();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const shownProblem = error ?? (status.enabled && status.problem ? { code: status.problem } : null);

  async function run(work: () => Promise<NcaLayerStatus>) {
    setBusy(true);
    setError(null);
    try {
      client.setQueryData(queryKey('ncalayer.status', {}), await work());
    } catch (e) {
      setError(errorOf(e));
      void client.invalidateQueries({ queryKey: queryKey('ncalayer.status', {}) });
    } finally {
      setBusy(false);
    }
  }

  const trustText = status.trust.os === 'windows' ? t.ncalayer.trustWindows : status.trust.os === 'linux' ? (status.trust.automatic ? t.ncalayer.trustLinux : t.ncalayer.trustLinuxManual) : t.ncalayer.trustMac;
  return (
    <section className="card ncalayer-settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.ncalayer.settingsTitle}</h2>
      <p className="muted">{t.ncalayer.settingsIntro}</p>
      <label className="check">
        <input
          type="checkbox"
          name="ncalayer"
          checked={status.enabled}
          disabled={status.locked || busy}
          onChange={(e) => {
            const enabled = e.target.checked;
            void run(() => call(api, 'ncalayer.setEnabled', { enabled }));
          }}
        />{' '}
        {t.ncalayer.enable}
      </label>
      {status.locked && <p className="field-hint">{status.enabled ? t.ncalayer.lockedOn : t.ncalayer.lockedOff}</p>}
      <p role="status">{status.running && status.port !== null ? interpolate(t.ncalayer.running, { port: status.port }) : t.ncalayer.stopped}</p>
      {shownProblem && <ErrorMessage error={describeError(shownProblem, t)} />}

      {status.certificate && (
        <div className="ncalayer-trust">
          <h3>{t.ncalayer.trustTitle}</h3>
          <p>{t.ncalayer.trustIntro}</p>
          <dl className="facts">
            <dt>{t.ncalayer.fingerprint}</dt>
            <dd className="hash">{status.certificate.fingerprint256}</dd>
            <dt>{t.ncalayer.certificateFile}</dt>
            <dd className="hash">{status.certificate.path}</dd>
          </dl>
          <p>{trustText}</p>
          {status.trust.added ? (
            <p className="notice" role="status">
              {t.ncalayer.trustAdded}
            </p>
          ) : status.trust.automatic ? (
            <button type="button" className="button primary" disabled={busy} onClick={() => void run(() => call(api, 'ncalayer.trust', {}))}>
              {t.ncalayer.trustButton}
            </button>
          ) : (
            <pre className="command">{manualCommand(status)}</pre>
          )}
          {status.port !== null && <p className="field-hint">{interpolate(t.ncalayer.trustFirefox, { port: status.port })}</p>}
        </div>
      )}

      <h3>{t.ncalayer.rememberedSites}</h3>
      {status.rememberedSites.length > 0 ? (
        <ul className="site-list">
          {status.rememberedSites.map((site) => (
            <li key={site}>{site}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.ncalayer.noRememberedSites}</p>
      )}
    </section>
  );
}
