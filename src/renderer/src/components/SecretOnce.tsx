// Shows a new secret once. Copy puts it on the clipboard and takes it off again after 60 seconds.
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog';
import { useDialog } from './useDialog';

const CLEAR_AFTER_MS = 60_000;

/** An access key (which expires) or a portal's API key (R-A5: until rotated). */
export function SecretOnce({
  created,
  onDone,
  title = 'New access key',
  idLabel = 'Access Key ID',
}: {
  created: { id: string; secret: string; expiresAt?: string };
  onDone(): void;
  title?: string;
  idLabel?: string;
}) {
  const [copied, setCopied] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  async function clearClipboard() {
    try {
      // Only take back what we put there, when the browser lets us look.
      const now = await navigator.clipboard.readText().catch(() => created.secret);
      if (now === created.secret) await navigator.clipboard.writeText('');
    } finally {
      setCopied(false);
    }
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  // Closing takes back a copy: the secret is never shown again either way.
  const done = () => void (copied ? clearClipboard() : Promise.resolve()).finally(onDone);
  // A stray Escape must not lose the secret for good: only "I have stored it" closes at once, Escape asks first.
  const { props, titleId } = useDialog<HTMLElement>(() => setLeaving(true));

  async function copy() {
    await navigator.clipboard.writeText(created.secret);
    setCopied(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void clearClipboard(), CLEAR_AFTER_MS);
  }

  return (
    <div className="overlay" role="presentation">
      <section {...props} className="card dialog" role="dialog">
        <h2 id={titleId}>{title}</h2>
        <p>
          {idLabel} <span className="mono">{created.id}</span>
          {created.expiresAt ? `, expires ${created.expiresAt.slice(0, 10)}` : ''}.
        </p>
        <p className="notice">This is the only time the secret is shown. It is kept only in the OS keychain.</p>
        <code className="secret mono" aria-label="Secret">
          {created.secret}
        </code>
        <div className="row">
          <button onClick={() => void copy()}>{copied ? 'Copied — clears in 60 s' : 'Copy secret'}</button>
          <button className="primary" onClick={done}>
            I have stored it
          </button>
        </div>
      </section>
      {leaving && (
        <ConfirmDialog
          title="Close without the secret?"
          body={<p>The secret will not be shown again. Close anyway?</p>}
          confirm="Close anyway"
          onConfirm={done}
          onCancel={() => setLeaving(false)}
        />
      )}
    </div>
  );
}
