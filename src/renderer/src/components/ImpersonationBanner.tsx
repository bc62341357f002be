// The banner nobody can miss while impersonating; expiry itself is enforced in main, not here.
// Screen readers hear a session start and end once, from ImpersonationAnnouncer's live region; the banner
// itself is a plain region, and its countdown is aria-live="off", so the minutes ticking down are not re-read.
import { useEffect, useRef, useState } from 'react';
import { principalLabel, type Impersonation } from '../../../shared/model';

export function ImpersonationBanner({
  session,
  onBack,
  onExpired,
}: {
  session: Impersonation;
  onBack(): void;
  onExpired(): void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((Date.parse(session.expiresAt) - now) / 60_000));
  useEffect(() => {
    if (left === 0) onExpired();
  }, [left, onExpired]);
  return (
    <div className="impersonation-banner" role="region" aria-label="Impersonation session">
      You are impersonating <strong>{principalLabel(session.user)}</strong> —{' '}
      <span aria-live="off" className="countdown">
        {left} min left
      </span>
      <button className="primary" onClick={onBack}>
        Back to me
      </button>
    </div>
  );
}

/**
 * A polite live region that is always on the page (a region added with its text is often not read), saying
 * once that a session started or ended. It speaks only when who is impersonated changes, not when the
 * window's periodic status check returns the same session again.
 */
export function ImpersonationAnnouncer({ session }: { session: Impersonation | null }) {
  const [message, setMessage] = useState('');
  const last = useRef<Impersonation | null>(session);
  useEffect(() => {
    const before = last.current;
    last.current = session;
    if (session && before?.id !== session.id)
      setMessage(`Impersonation started: you are acting as ${principalLabel(session.user)}.`);
    else if (!session && before)
      setMessage(`Impersonation of ${principalLabel(before.user)} ended: you are yourself again.`);
  }, [session]);
  return (
    <div className="sr-only" role="status" aria-label="Impersonation announcements">
      {message}
    </div>
  );
}
