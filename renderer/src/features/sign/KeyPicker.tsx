/**
 * The keys found, as a single-select listbox (ARIA pattern with aria-activedescendant): arrow keys,
 * Home and End move the choice and keep it in view; Enter asks to sign with it. Each option shows
 * the owner, IIN/BIN, file or token, purposes, validity and revocation status, and why it cannot be used here.
 */
import { useEffect, useRef, type KeyboardEvent, type Ref } from 'react';
import type { KeyDetails } from '../../../../contract/contract.ts';
import { useI18n } from '../../i18n/context.tsx';
import { interpolate } from '../../i18n/index.ts';
import { PurposeChips, StatusBadge } from './KeyBadges.tsx';
import { cannotUse, keyId, type CannotReason, type Purpose } from './key-rules.ts';
import { useRevocation } from './use-revocation.ts';

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

interface KeyPickerProps {
  keys: KeyDetails[];
  selected: string | null;
  onSelect: (id: string) => void;
  /** Enter on the list (or a double click on an option). */
  onActivate: () => void;
  labelledBy: string;
  purpose: Purpose;
  listRef?: Ref<HTMLUListElement>;
}

export function KeyPicker({ keys, selected, onSelect, onActivate, labelledBy, purpose, listRef }: KeyPickerProps) {
  const position = keys.findIndex((k) => keyId(k) === selected);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    if (keys.length === 0) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      onActivate();
      return;
    }
    const last = keys.length - 1;
    const next: Record<string, number> = {
      ArrowDown: Math.min(position + 1, last),
      ArrowUp: Math.max(position - 1, 0),
      Home: 0,
      End: last,
    };
    const target = next[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const key = keys[target];
    if (key) onSelect(keyId(key));
  }

  return (
    <ul
      ref={listRef}
      className="key-list"
      role="listbox"
      aria-labelledby={labelledBy}
      tabIndex={0}
      aria-activedescendant={position >= 0 ? optionId(position) : undefined}
      onKeyDown={onKeyDown}
    >
      {keys.map((key, i) => (
        <KeyOption
          key={keyId(key)}
          id={optionId(i)}
          details={key}
          selected={keyId(key) === selected}
          purpose={purpose}
          onSelect={() => onSelect(keyId(key))}
          onActivate={onActivate}
        />
      ))}
    </ul>
  );
}

const optionId = (i: number) => `key-option-${i}`;

interface KeyOptionProps {
  id: string;
  details: KeyDetails;
  selected: boolean;
  purpose: Purpose;
  onSelect: () => void;
  onActivate: () => void;
}

/** The reasons a key is named unusable in the list itself (the others show in its status badge). */
const LIST_WARNINGS: Partial<Record<CannotReason, 'cannotGost' | 'cannotAlgorithm' | 'notForLogin' | 'notForSigning'>> = {
  cannotGost: 'cannotGost',
  cannotAlgorithm: 'cannotAlgorithm',
  cannotLogin: 'notForLogin',
  cannotSign: 'notForSigning',
};
function KeyOption({ id, details, selected, purpose, onSelect, onActivate }: KeyOptionProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLLIElement>(null);
  const revocation = useRevocation(details);
  const reason = cannotUse(details, purpose, revocation);
  // The chosen option stays in view as the arrow keys move it.
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const warningText = reason ? LIST_WARNINGS[reason] : undefined;
  const warning = warningText ? t.keyDialog[warningText] : null;
  return (
    <li
      ref={ref}
      id={id}
      role="option"
      aria-selected={selected}
      className={`key-option${selected ? ' selected' : ''}${reason ? ' unusable' : ''}`}
      onClick={onSelect}
      onDoubleClick={onActivate}
    >
      <span className="key-owner">{details.commonName}</span>
      <span className="key-badges">
        <PurposeChips purposes={details.purposes} />
        <StatusBadge status={details.status} revocation={revocation} />
      </span>
      <span className="key-meta">
        {details.iin && (
          <span>
            {t.keyDialog.iin} {details.iin}
          </span>
        )}
        {details.bin && (
          <span>
            {t.keyDialog.bin} {details.bin}
          </span>
        )}
        {details.storage.kind === 'file' ? (
          <span className="key-file" title={details.storage.path}>
            {fileName(details.storage.path)}
          </span>
        ) : (
          <span className="key-file" title={`${details.storage.manufacturer} ${details.storage.model} ${details.storage.serial}`}>
            {interpolate(t.keyDialog.tokenStorage, { label: details.storage.label })}
          </span>
        )}
        {/* A narrow list cuts the text short: the title keeps it whole. */}
        {warning && (
          <span className="key-warning" title={warning}>
            {warning}
          </span>
        )}
      </span>
    </li>
  );
}
