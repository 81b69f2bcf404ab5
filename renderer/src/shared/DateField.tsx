/**
 * The app's one date field: a text input showing and taking dd.MM.yyyy in every UI language, with
 * guided typing (the dots come by themselves), the format named in a hint the input is described
 * by, and a translated message for a malformed or impossible date, shown once the person leaves
 * the field or the form is sent (`check`). The caller keeps the text and reads it with
 * parseDisplayDate (date-input.ts) into the contract's ISO date.
 */
import { useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { guideDateTyping, parseDisplayDate } from './date-input.ts';
import { TextField } from './TextField.tsx';

export interface DateFieldProps {
  id: string;
  name?: string;
  label: string;
  /** The text as shown (dd.MM.yyyy while typing). */
  value: string;
  onChange: (text: string) => void;
  /** More about the value than its format (the format itself is always named). */
  hint?: string;
  /** The form was sent: a bad date is named even if the field was never left. */
  check?: boolean;
  /** The caller's own problem with the value (e.g. none given); takes the place of the field's. */
  error?: string;
}

export function DateField(props: DateFieldProps) {
  const { t } = useI18n();
  const [left, setLeft] = useState(false);
  const parsed = props.value.trim() === '' ? null : parseDisplayDate(props.value);
  const own = parsed && !parsed.ok && (left || props.check) ? (parsed.problem === 'format' ? t.dateField.formatProblem : t.dateField.impossible) : undefined;
  return (
    <TextField
      id={props.id}
      name={props.name}
      label={props.label}
      inputMode="numeric"
      autoComplete="off"
      placeholder={t.dateField.placeholder}
      maxLength={10}
      value={props.value}
      onChange={(text) => props.onChange(guideDateTyping(text, text.length < props.value.length))}
      onBlur={() => setLeft(true)}
      hint={props.hint ? `${t.dateField.format} ${props.hint}` : t.dateField.format}
      error={props.error ?? own}
    />
  );
}
