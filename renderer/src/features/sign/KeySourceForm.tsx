/**
 * Where the keys are: storage type, then for a key file: its path (typed, chosen in Electron, or the
 * demo keys folder), the key store password and "Refresh key list"; for a token (or the Kazakh ID
 * card): its PIN and "Refresh token list" (tokens are listed without the PIN, which is used when
 * signing). An empty password or PIN is said to be empty here, before anything is opened. A token
 * on a reader with a keypad (TokenSummary.pinPad) takes its PIN there: no PIN field, a line saying so.
 */
import { useId, useState, type FormEvent, type RefObject } from 'react';
import { useI18n } from '../../i18n/context.tsx';

export type StorageKind = 'pc' | 'token';

interface KeySourceFormProps {
  /** The storages offered (the administrator's policy may allow only one). */
  storages: readonly StorageKind[];
  storage: StorageKind;
  onStorage: (storage: StorageKind) => void;
  path: string;
  onPath: (path: string) => void;
  password: string;
  onPassword: (password: string) => void;
  busy: boolean;
  onRefresh: () => void;
  /** Electron only: the native "Choose file" dialog. */
  onPickFile: (() => void) | null;
  demoKeysFolder: string | undefined;
  passwordEmpty: boolean;
  pathRef: RefObject<HTMLInputElement | null>;
  passwordRef: RefObject<HTMLInputElement | null>;
  /** The chosen key's token is on a reader with a keypad: the PIN is typed there, not here. */
  pinPad?: boolean;
}

export function KeySourceForm(props: KeySourceFormProps) {
  const { storages, storage, onStorage, path, onPath, password, onPassword, busy, onRefresh, onPickFile, demoKeysFolder, passwordEmpty, pathRef, passwordRef, pinPad = false } = props;
  const token = storage === 'token';
  const { t } = useI18n();
  const ids = useId();
  const [showPassword, setShowPassword] = useState(false);
  const [capsLock, setCapsLock] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    onRefresh();
  }

  const passwordHelp = [passwordEmpty ? `${ids}-empty` : '', capsLock ? `${ids}-caps` : ''].filter(Boolean).join(' ');
  return (
    <form className="key-source" onSubmit={submit} noValidate>
      <div className="field field-inline">
        <label className="field-label" htmlFor={`${ids}-storage`}>
          {t.keyDialog.storageType}
        </label>
        <select id={`${ids}-storage`} name="storage" value={storage} onChange={(e) => onStorage(e.target.value === 'token' ? 'token' : 'pc')}>
          {storages.includes('pc') && <option value="pc">{t.keyDialog.storagePc}</option>}
          {storages.includes('token') && <option value="token">{t.keyDialog.storageToken}</option>}
        </select>
      </div>

      {!token && (
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
              onChange={(e) => onPath(e.target.value)}
              aria-describedby={`${ids}-hint`}
              autoComplete="off"
              spellCheck={false}
            />
            {onPickFile && (
              <button type="button" className="button secondary" onClick={onPickFile}>
                {t.keyDialog.chooseFile}
              </button>
            )}
          </div>
          <p id={`${ids}-hint`} className="field-hint">
            {t.keyDialog.storagePathHint}
            {demoKeysFolder && (
              <>
                {' '}
                <button
                  type="button"
                  className="button link inline"
                  onClick={() => {
                    onPath(demoKeysFolder);
                    passwordRef.current?.focus();
                  }}
                >
                  {t.keyDialog.useDemoKeys}
                </button>
              </>
            )}
          </p>
        </div>
      )}

      {token && pinPad ? (
        <p className="field-hint pin-on-reader" role="status">
          {t.keyDialog.pinOnReader}
        </p>
      ) : (
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-password`}>
            {token ? t.keyDialog.pin : t.keyDialog.password}
          </label>
          <div className="field-row">
            <input
              ref={passwordRef}
              id={`${ids}-password`}
              name="password"
              type={showPassword ? 'text' : 'password'}
              value={password}
              onChange={(e) => onPassword(e.target.value)}
              onKeyDown={(e) => setCapsLock(e.getModifierState('CapsLock'))}
              onKeyUp={(e) => setCapsLock(e.getModifierState('CapsLock'))}
              aria-invalid={passwordEmpty || undefined}
              aria-describedby={passwordHelp || undefined}
              autoComplete="off"
              spellCheck={false}
            />
            <button type="button" className="button secondary" aria-pressed={showPassword} onClick={() => setShowPassword((v) => !v)}>
              {showPassword ? (token ? t.keyDialog.hidePin : t.keyDialog.hidePassword) : token ? t.keyDialog.showPin : t.keyDialog.showPassword}
            </button>
          </div>
          {passwordEmpty && (
            <p id={`${ids}-empty`} className="field-error" role="alert">
              {token ? t.keyDialog.pinEmpty : t.keyDialog.passwordEmpty}
            </p>
          )}
          {capsLock && (
            <p id={`${ids}-caps`} className="field-warning" role="status">
              {t.keyDialog.capsLock}
            </p>
          )}
        </div>
      )}

      <button type="submit" className="button secondary" disabled={(!token && !path.trim()) || busy}>
        {busy ? t.keyDialog.refreshing : token ? t.keyDialog.refreshTokens : t.keyDialog.refresh}
      </button>
    </form>
  );
}
