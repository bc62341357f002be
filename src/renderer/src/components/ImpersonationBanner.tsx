// The banner nobody can miss while impersonating; expiry itself is enforced in main, not here.
import { useEffect, useState } from 'react';
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
    <div className="impersonation-banner" role="alert" aria-label="Impersonation">
      You are impersonating <strong>{principalLabel(session.user)}</strong> — {left} min left
      <button className="primary" onClick={onBack}>
        Back to me
      </button>
    </div>
  );
}
