/**
 * The key dialog (NCALayer's "Формирование ЭЦП"): where the keys are (KeySourceForm), which key
 * (KeyPicker, with revocation checked as the list is shown), its data (KeyDetailsPanel), and, when
 * signing a document, what is signed (SigningSummary); Sign / Cancel. For login (AUTH) and for
 * signing XML (SIGN). The caller does the signing call; the dialog gathers a key choice and shows
 * the caller's error. Sign is disabled, with the reason, for a key that cannot do the action.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { AppError, KeyDetails } from '../../../../contract/contract.ts';
import { call, useApi } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { LanguageSwitcher } from '../../shared/LanguageSwitcher.tsx';
import { Modal } from '../../shared/Modal.tsx';
import { KeyDetailsPanel } from './KeyDetailsPanel.tsx';
import { KeyPicker } from './KeyPicker.tsx';
import { KeySourceForm } from './KeySourceForm.tsx';
import { SigningSummary, type SigningSummaryData } from './SigningSummary.tsx';
import { cannotUse, errorInContext, keyId, preferredKey, type Purpose } from './key-rules.ts';
import { useRevocation } from './use-revocation.ts';

export interface KeyChoice {
  file: string;
  keyIndex: number;
  password: string;
}

export interface KeyDialogProps {
  purpose: Purpose;
  /** Offered in demo mode: a button fills the path with it. */
  demoKeysFolder?: string | undefined;
  /** Electron only: the native "Choose file" dialog. */
  canPickFile: boolean;
  initialPath: string | null;
  /** Saves the path that found keys; null when an administrator has locked it. */
  rememberPath: ((path: string) => void) | null;
  summary?: SigningSummaryData | undefined;
  /** Resolves to null on success (the caller closes the dialog) or to the error to show. */
  onSign: (choice: KeyChoice) => Promise<AppError | null>;
  onCancel: () => void;
}

export function KeyDialog(props: KeyDialogProps) {
  const { purpose, demoKeysFolder, canPickFile, initialPath, rememberPath, summary, onSign, onCancel } = props;
  const api = useApi();
  const { t, language } = useI18n();
  const ids = useId();
  const pathRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const [path, setPath] = useState(initialPath ?? '');
  const [password, setPassword] = useState('');
  const [passwordEmpty, setPasswordEmpty] = useState(false);
  const [keys, setKeys] = useState<KeyDetails[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<'refresh' | 'sign' | null>(null);
  const [error, setError] = useState<AppError | null>(null);

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
  const revocation = useRevocation(selectedKey);
  const reason = selectedKey ? cannotUse(selectedKey, purpose, revocation) : null;

  async function refresh() {
    if (!path.trim() || busy) return;
    if (password === '') {
      // Not a wrong password: none was given. Nothing is opened.
      setPasswordEmpty(true);
      setError(null);
      passwordRef.current?.focus();
      return;
    }
    setPasswordEmpty(false);
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
    const best = preferredKey(found, purpose);
    setSelected(best ? keyId(best) : null);
    rememberPath?.(path.trim());
    focusListNext.current = found.length > 0;
  }

  async function pickFile() {
    try {
      const picked = await call(api, 'keys.pickFile', {});
      if (picked) {
        setPath(picked.path);
        passwordRef.current?.focus();
      }
    } catch (e) {
      setError((e as { error?: AppError }).error ?? { code: 'INTERNAL_ERROR' });
    }
  }

  function choose(id: string) {
    setSelected(id);
    // An error belongs to the key it came from.
    if (id !== selected) setError(null);
  }

  async function sign() {
    if (!selectedKey || busy || reason) return;
    setBusy('sign');
    setError(null);
    const failure = await onSign({ file: selectedKey.file, keyIndex: selectedKey.index, password });
    // On success the caller unmounts the dialog; only a failure comes back here.
    if (failure) {
      setBusy(null);
      setError(failure);
    }
  }

  const titleId = `${ids}-title`;
  const chooseLabelId = `${ids}-choose`;
  const errorId = `${ids}-error`;
  const reasonId = `${ids}-reason`;
  const shownError = error ? describeError(errorInContext(error, purpose), t) : null;
  const windowTitle = summary ? t.keyDialog.windowTitleXml : t.keyDialog.windowTitle;

  return (
    <Modal
      labelledBy={titleId}
      describedBy={shownError ? errorId : undefined}
      onClose={onCancel}
      busy={busy === 'sign'}
      initialFocus={initialPath ? passwordRef : pathRef}
      className={summary ? 'key-dialog signing' : 'key-dialog'}
    >
      <div className="key-dialog-body">
        <div className="dialog-top">
          <div className="dialog-titles">
            <p className="dialog-window-title">{windowTitle}</p>
            <h2 id={titleId}>{purpose === 'AUTH' ? t.keyDialog.authTitle : t.keyDialog.signTitle}</h2>
          </div>
          <LanguageSwitcher />
        </div>

        <div className="key-dialog-grid">
          <div className="key-dialog-left">
            <KeySourceForm
              path={path}
              onPath={setPath}
              password={password}
              onPassword={(value) => {
                setPassword(value);
                if (value) setPasswordEmpty(false);
              }}
              busy={busy !== null}
              onRefresh={() => void refresh()}
              onPickFile={canPickFile ? () => void pickFile() : null}
              demoKeysFolder={demoKeysFolder}
              passwordEmpty={passwordEmpty}
              pathRef={pathRef}
              passwordRef={passwordRef}
            />
          </div>

          <div className="key-dialog-keys">
            <section className="key-choice" aria-labelledby={chooseLabelId}>
              <h3 id={chooseLabelId}>{purpose === 'AUTH' ? t.keyDialog.chooseKeyAuth : t.keyDialog.chooseKeySign}</h3>
              <p className="visually-hidden" role="status">
                {keys ? plural(language, t.plurals.keysFound, keys.length) : ''}
              </p>
              {keys && keys.length > 0 ? (
                <KeyPicker
                  keys={keys}
                  selected={selected}
                  onSelect={choose}
                  onActivate={() => void sign()}
                  labelledBy={chooseLabelId}
                  purpose={purpose}
                  listRef={listRef}
                />
              ) : (
                <p className="muted key-list-empty">{t.keyDialog.noKeysYet}</p>
              )}
            </section>
            {selectedKey && <KeyDetailsPanel details={selectedKey} />}
          </div>

          {summary && <SigningSummary summary={summary} />}
        </div>

        {shownError && <ErrorMessage error={shownError} id={errorId} />}

        <div className="dialog-actions">
          {reason && (
            <p id={reasonId} className="sign-blocked" role="status">
              {t.keyDialog[reason]}
            </p>
          )}
          <button
            type="button"
            className="button primary"
            onClick={() => void sign()}
            disabled={!selectedKey || busy !== null || reason !== null}
            aria-describedby={reason ? reasonId : undefined}
          >
            {busy === 'sign' ? t.keyDialog.signing : t.keyDialog.sign}
          </button>
          <button type="button" className="button secondary" onClick={onCancel} disabled={busy === 'sign'}>
            {t.keyDialog.cancel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
