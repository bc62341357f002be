import { createContext, useContext, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../../shared/result';

/** What a form's action answers: nothing, a sentence, or main's error (its field and rule apart from the sentence). */
export type Problem = string | ApiError | null;

const asError = (p: Problem): ApiError | null =>
  p === null ? null : typeof p === 'string' ? { code: 'invalid_input', message: p } : p;

/** The error of the form a Field is in, so that the Field it names shows it beside itself. */
const FormError = createContext<ApiError | null>(null);

/**
 * An error's message beside the input it is about (`name` is the contract's field path, e.g. `target.port`), or
 * nothing when the error is about another field or none.
 */
export function FieldError({ name, error, id }: { name: string; error: ApiError | null; id?: string }) {
  if (!error || error.field !== name) return null;
  return (
    <>
      <small className="field-error" role="alert" id={id}>
        {error.message}
      </small>
      <Why rule={error.rule} />
    </>
  );
}

/** The rule that decided, for whoever asks why: kept out of the sentence. */
function Why({ rule }: { rule: string | undefined }) {
  if (!rule) return null;
  return (
    <details className="why">
      <summary>Why?</summary>
      Decided by rule {rule} (docs/rules.md says what it holds and where it is enforced).
    </details>
  );
}

export function Field(props: {
  label: string;
  type?: string;
  value: string;
  onChange(value: string): void;
  autoComplete?: string;
  hint?: string;
  /** The contract's input field this one fills: an error about it is shown here, not above the button. */
  name?: string;
  /** A <datalist> of suggestions (components/PeopleList.tsx). */
  list?: string;
  /** The field a screen or a form that just opened starts in. */
  autoFocus?: boolean;
}) {
  const error = useContext(FormError);
  const id = useId();
  const mine = props.name !== undefined && error?.field === props.name;
  return (
    <label className="field" data-field={props.name}>
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        list={props.list}
        autoFocus={props.autoFocus}
        aria-invalid={mine || undefined}
        aria-describedby={mine ? id : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.name !== undefined && <FieldError name={props.name} error={error} id={id} />}
      {props.hint && <small>{props.hint}</small>}
    </label>
  );
}

/** A message not about one field (or about a field the screen does not show), with its rule as the "why". */
export function ErrorNote({ message, error }: { message?: string | null; error?: ApiError | null }) {
  const text = error?.message ?? message;
  return text ? (
    <>
      <p className="error" role="alert">
        {text}
      </p>
      <Why rule={error?.rule} />
    </>
  ) : null;
}

/** A form whose submit runs `action` once at a time; the action returns a Problem or null. */
export function ActionForm(props: {
  title: string;
  submit: string;
  action(): Promise<Problem>;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(asError(await props.action()));
    setBusy(false);
  }
  // Shown above the button unless one of the form's Fields shows it beside itself.
  const beside = error?.field !== undefined && shownBy(form.current, error.field);
  return (
    <form className="card" ref={form} onSubmit={(e) => void onSubmit(e)} aria-label={props.title}>
      <h2>{props.title}</h2>
      <FormError.Provider value={error}>{props.children}</FormError.Provider>
      {!beside && <ErrorNote error={error} />}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Working…' : props.submit}
      </button>
      {props.footer}
    </form>
  );
}

const shownBy = (form: HTMLFormElement | null, field: string) =>
  !!form && [...form.querySelectorAll('[data-field]')].some((el) => el.getAttribute('data-field') === field);
