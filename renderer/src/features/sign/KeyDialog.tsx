/**
 * The key dialog (NCALayer's "Формирование ЭЦП"): where the keys are (KeySourceForm), which key
 * (KeyPicker, with revocation checked as the list is shown), its data (KeyDetailsPanel), and, when
 * signing a document, what is signed (SigningSummary); Sign / Cancel. For login (AUTH) and for
 * signing XML (SIGN). Keys come from a key file (its password) or from a token (its PIN; the list
 * follows tokens plugged in and removed through main's `tokens.changed`). The caller does the signing call; the dialog gathers a key choice and shows
 * the caller's error. Sign is disabled, with the reason, for a key that cannot do the action.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { AppError, KeyDetails, KeyRef, SiteRequest, TokenSummary } from '../../../../contract/contract.ts';
import { call, useApi } from '../../app/api.tsx';
import { describeError } from '../../errors.ts';
import { plural } from '../../i18n/plural.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../shared/ErrorMessage.tsx';
import { SiteOrigin, SiteRequestSummary } from '../ncalayer/SiteRequestSummary.tsx';
import { LanguageSwitcher } from '../../shared/LanguageSwitcher.tsx';
import { Modal } from '../../shared/Modal.tsx';
import { KeyDetailsPanel } from './KeyDetailsPanel.tsx';
import { KeyPicker } from './KeyPicker.tsx';
import { KeySourceForm, type StorageKind } from './KeySourceForm.tsx';
import { SigningSummary, type SigningSummaryData } from './SigningSummary.tsx';
import { cannotUse, errorInContext, keyId, preferredKey, type Purpose } from './key-rules.ts';
import { useSigningSetup } from './signing-context.ts';
import { useRevocation } from './use-revocation.ts';

/** The chosen key and its secret: the key file's password or the token's PIN. */
export interface KeyChoice {
  ref: KeyRef;
  secret: string;
  /** Site-request mode: the user ticked "remember this site". */
  rememberOrigin?: boolean;
}

/** The key dialog's site-request mode (the NCALayer service): a web site asks to sign. */
export interface SiteMode {
  request: SiteRequest;
  /** "Refuse this site": its next requests get no dialog for a while. */
  onRefuse: () => void;
}

/**
 * The four setup props default to the app's SigningContext (signing-context.ts), which every key
 * dialog of the app shares; pass one only to show the dialog with another setup.
 */
export interface KeyDialogProps {
  purpose: Purpose;
  /** Offered in demo mode: a button fills the path with it. */
  demoKeysFolder?: string | undefined;
  /** Electron only: the native "Choose file" dialog. */
  canPickFile?: boolean | undefined;
  initialPath?: string | null | undefined;
  /** Saves the path that found keys; null when an administrator has locked it. */
  rememberPath?: ((path: string) => void) | null | undefined;
  summary?: SigningSummaryData | undefined;
  /** A web site's request: its origin first, its documents, remember and refuse. */
  site?: SiteMode | undefined;
  /** Resolves to null on success (the caller closes the dialog) or to the error to show. */
  onSign: (choice: KeyChoice) => Promise<AppError | null>;
  onCancel: () => void;
}

export function KeyDialog(props: KeyDialogProps) {
  const setup = useSigningSetup();
  const {
    purpose,
    demoKeysFolder = setup.demoKeysFolder,
    canPickFile = setup.canPickFile,
    initialPath = setup.initialPath,
    rememberPath = setup.rememberPath,
    summary,
    site,
    onSign,
    onCancel,
  } = props;
  const api = useApi();
  const { t, language } = useI18n();
  const ids = useId();
  const pathRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const { onTokensChanged, keySources } = setup;
  // Only the storages the policy allows (and a site, by NCALayer's storage names); a kiosk allowing tokens only starts on them.
  const siteStorages = site?.request.key.storages;
  const fileAllowed = keySources.includes('file') && (!siteStorages || siteStorages.includes('PKCS12'));
  const tokenAllowed = keySources.includes('token') && (!siteStorages || siteStorages.some((name) => name !== 'PKCS12'));
  const storages: StorageKind[] = [...(fileAllowed ? ['pc' as const] : []), ...(tokenAllowed ? ['token' as const] : [])];
  const [rememberOrigin, setRememberOrigin] = useState(false);
  const [storage, setStorage] = useState<StorageKind>(storages[0] ?? 'pc');
  const [tokens, setTokens] = useState<TokenSummary[] | null>(null);
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
  // What the selected key's token says of its PIN, before it is typed.
  const selectedToken = tokens?.find((tk) => tk.keys.some((k) => keyId(k) === selected));
  const tokenWarning = selectedToken?.pinLocked
    ? t.keyDialog.tokenPinLocked
    : selectedToken?.pinTries === 'final'
      ? t.keyDialog.tokenPinFinal
      : selectedToken?.pinTries === 'low'
        ? t.keyDialog.tokenPinLow
        : null;
  // A reader with a keypad: the PIN is typed there and main logs in without one.
  const pinPad = selectedKey?.ref.kind === 'token' && selectedToken?.pinPad === true;

  function showKeys(found: KeyDetails[], keepSelection: boolean) {
    setKeys(found);
    if (keepSelection && found.some((k) => keyId(k) === selected)) return;
    const best = preferredKey(found, purpose);
    setSelected(best ? keyId(best) : null);
    focusListNext.current = found.length > 0 && !keepSelection;
  }

  /** The tokens plugged in and their certificates (listed without the PIN). `quiet`: a refresh main asked for. */
  async function refreshTokens(quiet = false) {
    if (!quiet) {
      setBusy('refresh');
      setError(null);
    }
    const result = await api['keys.tokens']({});
    if (!quiet) setBusy(null);
    if (!result.ok) {
      setTokens(null);
      setKeys(null);
      setSelected(null);
      setError(result.error);
      return;
    }
    setTokens(result.value.tokens);
    showKeys(result.value.tokens.flatMap((tk) => tk.keys), quiet);
  }

  // A token plugged in or removed while the dialog lists tokens: list them again.
  const refreshTokensRef = useRef(refreshTokens);
  refreshTokensRef.current = refreshTokens;
  const listingTokens = storage === 'token' && tokens !== null;
  useEffect(() => {
    if (!listingTokens || !onTokensChanged) return;
    return onTokensChanged(() => void refreshTokensRef.current(true));
  }, [listingTokens, onTokensChanged]);

  // Starting on tokens (the policy allows nothing else): list them at once.
  useEffect(() => {
    if (storage === 'token') void refreshTokensRef.current();
  }, []); // once, when the dialog opens

  function changeStorage(next: StorageKind) {
    setStorage(next);
    setKeys(null);
    setTokens(null);
    setSelected(null);
    setError(null);
    setPassword('');
    setPasswordEmpty(false);
    if (next === 'token') void refreshTokens();
  }

  async function refresh() {
    if (busy) return;
    if (storage === 'token') return refreshTokens();
    if (!path.trim()) return;
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
    showKeys(result.value.keys, false);
    rememberPath?.(path.trim());
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
    if (selectedKey.ref.kind === 'token' && !pinPad && password === '') {
      // No PIN typed: nothing goes to the token (an empty try could count against the PIN).
      setPasswordEmpty(true);
      passwordRef.current?.focus();
      return;
    }
    setBusy('sign');
    setError(null);
    const failure = await onSign({ ref: selectedKey.ref, secret: pinPad ? '' : password, ...(site ? { rememberOrigin } : {}) });
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
  const windowTitle = site ? t.ncalayer.windowTitle : summary ? t.keyDialog.windowTitleXml : t.keyDialog.windowTitle;
  const withSummary = summary !== undefined || site?.request.action === 'sign';

  return (
    <Modal
      labelledBy={titleId}
      describedBy={shownError ? errorId : undefined}
      onClose={onCancel}
      busy={busy === 'sign'}
      initialFocus={initialPath ? passwordRef : pathRef}
      className={`key-dialog${withSummary ? ' signing' : ''}${site ? ' site-request' : ''}`}
    >
      <div className="key-dialog-body">
        <div className="dialog-top">
          <div className="dialog-titles">
            <p className="dialog-window-title">{windowTitle}</p>
            <h2 id={titleId}>{purpose === 'AUTH' ? t.keyDialog.authTitle : t.keyDialog.signTitle}</h2>
          </div>
          <LanguageSwitcher />
        </div>
        {site && <SiteOrigin request={site.request} />}

        <div className="key-dialog-grid">
          <div className="key-dialog-left">
            <KeySourceForm
              storages={storages}
              storage={storage}
              onStorage={changeStorage}
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
              pinPad={pinPad}
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
                <p className="muted key-list-empty">
                  {storage === 'pc' ? t.keyDialog.noKeysYet : tokens === null ? t.keyDialog.noTokensYet : t.keyDialog.noTokens}
                </p>
              )}
            </section>
            {selectedKey && <KeyDetailsPanel details={selectedKey} />}
          </div>

          {summary && <SigningSummary summary={summary} />}
          {site && <SiteRequestSummary request={site.request} />}
        </div>

        {tokenWarning && (
          <p className="field-warning" role="status">
            {tokenWarning}
          </p>
        )}
        {shownError && <ErrorMessage error={shownError} id={errorId} />}

        <div className="dialog-actions">
          {site && (
            <label className="check site-remember">
              <input type="checkbox" checked={rememberOrigin} onChange={(e) => setRememberOrigin(e.target.checked)} /> {t.ncalayer.remember}
            </label>
          )}
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
          {site && (
            <button type="button" className="button secondary" onClick={site.onRefuse} disabled={busy === 'sign'} title={t.ncalayer.refuseHint}>
              {t.ncalayer.refuse}
            </button>
          )}
        </div>
      </div>
    </Modal>
  );
}
