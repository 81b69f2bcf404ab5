/**
 * The key dialog (NCALayer's "Формирование ЭЦП"): storage, path, password, refresh key list,
 * choose a key, see its data, Sign / Cancel. Used for login (purpose AUTH) and, with a summary
 * of what is signed, for signing XML (purpose SIGN). The caller does the signing call; the
 * dialog only gathers a key choice and shows the caller's error.
 *
 * A modal <dialog>: the page behind is inert, Tab stays inside, Esc cancels, focus returns to
 * the opener on close, and each error takes focus so a screen reader reads it at once.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AppError, JoldamaApi, KeyDetails } from '../../../contract/contract.ts';
import { describeError } from '../errors.ts';
import { interpolate } from '../i18n/index.ts';
import { useI18n } from '../i18n/context.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { KeyDetailsPanel } from './KeyDetailsPanel.tsx';
import { KeyList, keyId } from './KeyList.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

export interface KeyChoice {
  file: string;
  keyIndex: number;
  password: string;
}

/** What is being signed, in plain words, shown before the Sign button (purpose SIGN). */
export interface SigningSummary {
  title: string;
  lines: Array<{ label: string; value: string }>;
}

export interface KeyDialogProps {
  api: JoldamaApi;
  purpose: 'AUTH' | 'SIGN';
  /** Offered in demo mode: a button fills the path with it. */
  demoKeysFolder?: string;
  /** Electron only: the native "Choose file" dialog. */
  canPickFile: boolean;
  initialPath: string | null;
  /** Saves the path that found keys; null when an administrator has locked it. */
  rememberPath: ((path: string) => void) | null;
  summary?: SigningSummary;
  /** Resolves to null on success (the caller closes the dialog) or to the error to show. */
  onSign: (choice: KeyChoice) => Promise<AppError | null>;
  onCancel: () => void;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]';

export function KeyDialog(props: KeyDialogProps) {
  const { api, purpose, demoKeysFolder, canPickFile, initialPath, rememberPath, summary, onSign, onCancel } =
    props;
  const { t } = useI18n();
  const ids = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const pathRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const [path, setPath] = useState(initialPath ?? '');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const [keys, setKeys] = useState<KeyDetails[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<'refresh' | 'sign' | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  // Once, on mount: open as a modal, focus the first field to fill; on unmount give focus back
  // to whatever opened the dialog. (Later prop changes, e.g. a remembered path, must not re-run it.)
  const startsWithPath = useRef(Boolean(initialPath));
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    (startsWithPath.current ? passwordRef : pathRef).current?.focus();
    return () => opener?.focus();
  }, []);

  // The password leaves with the dialog: its field is emptied when the dialog closes, so no
  // detached input keeps the typed password.
  useEffect(() => {
    const input = passwordRef.current;
    return () => {
      if (input) input.value = '';
    };
  }, []);

  // Once keys are found, focus goes to the list (after React has rendered it).
  const focusListNext = useRef(false);
  useEffect(() => {
    if (focusListNext.current && listRef.current) {
      focusListNext.current = false;
      listRef.current.focus();
    }
  }, [keys]);

  const selectedKey = keys?.find((k) => keyId(k) === selected) ?? null;

  async function refresh(e?: FormEvent) {
    e?.preventDefault();
    if (!path.trim() || busy) return;
    setBusy('refresh');
    setError(null);
    const result = await api['keys.list']({ path: path.trim(), password });
    setBusy(null);
    if (!result.ok) {
      setKeys(null);
      setSelected(null);
      setError(result.error);
      return;
    }
    const found = result.value.keys;
    setKeys(found);
    // Preselect the first usable key for this purpose; the user can still choose any.
    const best = found.find((k) => k.purposes.includes(purpose) && k.status === 'valid') ?? found[0];
    setSelected(best ? keyId(best) : null);
    rememberPath?.(path.trim());
    focusListNext.current = found.length > 0;
  }

  async function pickFile() {
    const result = await api['keys.pickFile']({});
    if (!result.ok) return setError(result.error);
    if (result.value) {
      setPath(result.value.path);
      passwordRef.current?.focus();
    }
  }

  async function sign() {
    if (!selectedKey || busy) return;
    setBusy('sign');
    setError(null);
    const failure = await onSign({ file: selectedKey.file, keyIndex: selectedKey.index, password });
    // On success the caller unmounts the dialog; only a failure comes back here.
    if (failure) {
      setBusy(null);
      setError(failure);
    }
  }

  function onDialogKeyDown(e: KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== 'Tab' || !dialogRef.current) return;
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  const titleId = `${ids}-title`;
  const chooseLabelId = `${ids}-choose`;
  const errorId = `${ids}-error`;
  const capsId = `${ids}-caps`;
  const hintId = `${ids}-hint`;
  const shownError = error ? describeError(error, t) : null;

  return (
    <dialog
      ref={dialogRef}
      className="key-dialog"
      aria-labelledby={titleId}
      aria-describedby={shownError ? errorId : undefined}
      onKeyDown={onDialogKeyDown}
      onCancel={(e) => {
        e.preventDefault(); // Esc: we close through React state, not the browser.
        if (busy !== 'sign') onCancel();
      }}
    >
      <div className="key-dialog-body">
        <div className="dialog-top">
          <p className="dialog-window-title">
            {summary ? t.keyDialog.windowTitleXml : t.keyDialog.windowTitle}
          </p>
          <LanguageSwitcher />
        </div>
        <h2 id={titleId}>{purpose === 'AUTH' ? t.keyDialog.authTitle : t.keyDialog.signTitle}</h2>

        <div className="key-dialog-grid">
          <form className="key-store-form" onSubmit={refresh} noValidate>
            <label className="field">
              <span className="field-label">{t.keyDialog.storageType}</span>
              <select name="storage" defaultValue="pc">
                <option value="pc">{t.keyDialog.storagePc}</option>
                <option value="token" disabled>
                  {t.keyDialog.storageToken}
                </option>
              </select>
            </label>

            <div className="field">
              <label className="field-label" htmlFor={`${ids}-path`}>
                {t.keyDialog.storagePath}
              </label>
              <div className="field-row">
                <input
                  ref={pathRef}
                  id={`${ids}-path`}
                  name="path"
                  type="text"
                  value={path}
                  onChange={(e) => setPath(e.target.value)}
                  aria-describedby={hintId}
                  autoComplete="off"
                  spellCheck={false}
                />
                {canPickFile && (
                  <button type="button" className="button secondary" onClick={pickFile}>
                    {t.keyDialog.chooseFile}
                  </button>
                )}
              </div>
              <p id={hintId} className="field-hint">
                {t.keyDialog.storagePathHint}
              </p>
              {demoKeysFolder && (
                <button
                  type="button"
                  className="button link"
                  onClick={() => {
                    setPath(demoKeysFolder);
                    passwordRef.current?.focus();
                  }}
                >
                  {t.keyDialog.useDemoKeys}
                </button>
              )}
            </div>

            <div className="field">
              <label className="field-label" htmlFor={`${ids}-password`}>
                {t.keyDialog.password}
              </label>
              <div className="field-row">
                <input
                  ref={passwordRef}
                  id={`${ids}-password`}
                  name="password"
                  type={showPassword ? 'text' : 'password'}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  onKeyDown={(e) => setCapsLock(e.getModifierState('CapsLock'))}
                  onKeyUp={(e) => setCapsLock(e.getModifierState('CapsLock'))}
                  aria-describedby={capsLock ? capsId : undefined}
                  autoComplete="off"
                  spellCheck={false}
                />
                <button
                  type="button"
                  className="button secondary"
                  aria-pressed={showPassword}
                  onClick={() => setShowPassword((v) => !v)}
                >
                  {showPassword ? t.keyDialog.hidePassword : t.keyDialog.showPassword}
                </button>
              </div>
              {capsLock && (
                <p id={capsId} className="field-warning" role="status">
                  {t.keyDialog.capsLock}
                </p>
              )}
            </div>

            <button type="submit" className="button secondary" disabled={!path.trim() || busy !== null}>
              {busy === 'refresh' ? t.keyDialog.refreshing : t.keyDialog.refresh}
            </button>
          </form>

          <div className="key-dialog-keys">
            <section className="key-choice" aria-labelledby={chooseLabelId}>
              <h3 id={chooseLabelId}>
                {purpose === 'AUTH' ? t.keyDialog.chooseKeyAuth : t.keyDialog.chooseKeySign}
              </h3>
              <p className="visually-hidden" role="status">
                {keys ? interpolate(t.keyDialog.keysFound, { count: keys.length }) : ''}
              </p>
              {keys && keys.length > 0 ? (
                <KeyList
                  keys={keys}
                  selected={selected}
                  onSelect={setSelected}
                  labelledBy={chooseLabelId}
                  wanted={purpose}
                  listRef={listRef}
                />
              ) : (
                <p className="muted">{t.keyDialog.noKeysYet}</p>
              )}
            </section>

            {selectedKey && <KeyDetailsPanel details={selectedKey} />}
          </div>
        </div>

        {summary && (
          <section className="signing-summary" aria-labelledby={`${ids}-summary`}>
            <h3 id={`${ids}-summary`}>{t.keyDialog.whatYouSign}</h3>
            <p className="signing-summary-title">{summary.title}</p>
            <dl>
              {summary.lines.map((line) => (
                <div key={line.label} className="key-details-row">
                  <dt>{line.label}</dt>
                  <dd>{line.value}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}

        {shownError && <ErrorMessage error={shownError} id={errorId} />}

        <div className="dialog-actions">
          <button
            type="button"
            className="button primary"
            onClick={sign}
            disabled={!selectedKey || busy !== null}
          >
            {busy === 'sign' ? t.keyDialog.signing : t.keyDialog.sign}
          </button>
          <button type="button" className="button secondary" onClick={onCancel} disabled={busy === 'sign'}>
            {t.keyDialog.cancel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
