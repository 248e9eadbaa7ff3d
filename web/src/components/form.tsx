/**
 * Form building blocks. An {@link ApiError} drives every message: its summary goes in one alert at
 * the top of the form, and each field path the API named (422) is shown next to its field and
 * marks it invalid for assistive technology.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../lib/api-client';

export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fields[name] : undefined;
}

interface FieldProps {
  readonly label: string;
  readonly name: string;
  readonly error?: unknown;
  readonly hint?: ReactNode;
}

function useFieldIds(name: string) {
  const id = `${useId()}-${name}`;
  return { id, hintId: `${id}-hint`, errorId: `${id}-error` };
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list === '' ? undefined : list;
}

export function TextField({ label, name, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const { id, hintId, errorId } = useFieldIds(name);
  const message = fieldError(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      <input
        id={id}
        name={name}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, message && errorId)}
        {...input}
      />
      {message && <p id={errorId} className="field-error">{message}</p>}
    </div>
  );
}

export function TextAreaField({ label, name, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, hintId, errorId } = useFieldIds(name);
  const message = fieldError(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      <textarea
        id={id}
        name={name}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, message && errorId)}
        {...input}
      />
      {message && <p id={errorId} className="field-error">{message}</p>}
    </div>
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const { id, hintId, errorId } = useFieldIds(name);
  const message = fieldError(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="hint">{hint}</p>}
      <select
        id={id}
        name={name}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(hint !== undefined && hintId, message && errorId)}
        {...select}
      >
        {children}
      </select>
      {message && <p id={errorId} className="field-error">{message}</p>}
    </div>
  );
}

/** The error of the last submission: the API's message, and any field messages for fields the form does not show. */
export function FormError({ error, shownFields = [] }: { error: unknown; shownFields?: readonly string[] }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  const others = apiError ? Object.entries(apiError.fields).filter(([path]) => !shownFields.includes(path)) : [];
  return (
    <div className="alert alert-error" role="alert">
      <p>{apiError ? apiError.message : 'Something went wrong. Try again.'}</p>
      {others.length > 0 && (
        <ul>
          {others.map(([path, message]) => (
            <li key={path}>
              {path}: {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SubmitButton({
  pending,
  children,
  pendingText,
  disabled = false,
}: {
  pending: boolean;
  children: ReactNode;
  pendingText?: string;
  /** Not ready to send yet (what it confirms is still being worked out). */
  disabled?: boolean;
}) {
  return (
    <button type="submit" disabled={pending || disabled} aria-busy={pending || undefined}>
      {pending ? (pendingText ?? 'Working…') : children}
    </button>
  );
}

/** The form's fields as strings, without empty optional ones. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string' && value !== '') values[key] = value;
  return values;
}
