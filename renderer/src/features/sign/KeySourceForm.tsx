/**
 * Where the keys are: storage type, path to a key file or folder (typed, chosen in Electron, or the
 * demo keys folder), the key store password, and "Refresh key list". An empty password is said to
 * be empty here, before anything is opened.
 */
import { useId, useState, type FormEvent, type RefObject } from 'react';
import { useI18n } from '../../i18n/context.tsx';

interface KeySourceFormProps {
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
}

export function KeySourceForm(props: KeySourceFormProps) {
  const { path, onPath, password, onPassword, busy, onRefresh, onPickFile, demoKeysFolder, passwordEmpty, pathRef, passwordRef } = props;
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
        <select id={`${ids}-storage`} name="storage" defaultValue="pc">
          <option value="pc">{t.keyDialog.storagePc}</option>
          <option value="token" disabled>
            {t.keyDialog.storageToken}
          </option>
        </select>
      </div>

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
            onChange={(e) => onPassword(e.target.value)}
            onKeyDown={(e) => setCapsLock(e.getModifierState('CapsLock'))}
            onKeyUp={(e) => setCapsLock(e.getModifierState('CapsLock'))}
            aria-invalid={passwordEmpty || undefined}
            aria-describedby={passwordHelp || undefined}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="button" className="button secondary" aria-pressed={showPassword} onClick={() => setShowPassword((v) => !v)}>
            {showPassword ? t.keyDialog.hidePassword : t.keyDialog.showPassword}
          </button>
        </div>
        {passwordEmpty && (
          <p id={`${ids}-empty`} className="field-error" role="alert">
            {t.keyDialog.passwordEmpty}
          </p>
        )}
        {capsLock && (
          <p id={`${ids}-caps`} className="field-warning" role="status">
            {t.keyDialog.capsLock}
          </p>
        )}
      </div>

      <button type="submit" className="button secondary" disabled={!path.trim() || busy}>
        {busy ? t.keyDialog.refreshing : t.keyDialog.refresh}
      </button>
    </form>
  );
}
