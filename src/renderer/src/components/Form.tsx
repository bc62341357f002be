import { useState, type FormEvent, type ReactNode } from 'react';

export function Field(props: {
  label: string;
  type?: string;
  value: string;
  onChange(value: string): void;
  autoComplete?: string;
  hint?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && <small>{props.hint}</small>}
    </label>
  );
}

export function ErrorNote({ message }: { message: string | null }) {
  return message ? (
    <p className="error" role="alert">
      {message}
    </p>
  ) : null;
}

/** A form whose submit runs `action` once at a time; the action returns an error message or null. */
export function ActionForm(props: {
  title: string;
  submit: string;
  action(): Promise<string | null>;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(await props.action());
    setBusy(false);
  }
  return (
    <form className="card" onSubmit={(e) => void onSubmit(e)} aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children}
      <ErrorNote message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Working…' : props.submit}
      </button>
      {props.footer}
    </form>
  );
}
