/**
 * The keys found, as a single-select listbox (ARIA pattern with aria-activedescendant):
 * arrow keys, Home and End move the choice; each option shows owner, IIN, purposes, validity.
 */
import type { KeyboardEvent, Ref } from 'react';
import type { KeyDetails } from '../../../contract/contract.ts';
import { useI18n } from '../i18n/context.tsx';
import { PurposeChips, ValidityBadge } from './KeyBadges.tsx';

export function keyId(key: KeyDetails): string {
  return `${key.file}#${key.index}`;
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

interface KeyListProps {
  keys: KeyDetails[];
  selected: string | null;
  onSelect: (id: string) => void;
  labelledBy: string;
  wanted: 'AUTH' | 'SIGN';
  listRef?: Ref<HTMLUListElement>;
}

export function KeyList({ keys, selected, onSelect, labelledBy, wanted, listRef }: KeyListProps) {
  const { t } = useI18n();
  const position = keys.findIndex((k) => keyId(k) === selected);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    if (keys.length === 0) return;
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

  const optionId = (i: number) => `key-option-${i}`;
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
      {keys.map((key, i) => {
        const isSelected = keyId(key) === selected;
        return (
          <li
            key={keyId(key)}
            id={optionId(i)}
            role="option"
            aria-selected={isSelected}
            className={isSelected ? 'key-option selected' : 'key-option'}
            onClick={() => onSelect(keyId(key))}
          >
            <span className="key-owner">{key.commonName}</span>
            <span className="key-meta">
              {key.iin && (
                <span>
                  {t.keyDialog.iin} {key.iin}
                </span>
              )}
              {key.bin && (
                <span>
                  {t.keyDialog.bin} {key.bin}
                </span>
              )}
              <span className="key-file" title={key.file}>
                {fileName(key.file)}
              </span>
            </span>
            <span className="key-badges">
              <PurposeChips purposes={key.purposes} />
              <ValidityBadge status={key.status} />
            </span>
            {!key.purposes.includes(wanted) && wanted === 'AUTH' && (
              <span className="key-warning">{t.keyDialog.notForLogin}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
