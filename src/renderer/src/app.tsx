import { useEffect } from 'react';
import { FirstRun } from './screens/FirstRun';
import { SignIn } from './screens/SignIn';
import { Shell } from './screens/Shell';
import { useSession } from './stores/session';
import { IMPERSONATION_ENDED } from './api';

/** How often the window asks main whether the session is still open (main owns the idle lock). */
const STATUS_POLL_MS = 30_000;

export function App() {
  const { status, loadError, refresh } = useSession();

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), STATUS_POLL_MS);
    const now = () => void refresh();
    window.addEventListener(IMPERSONATION_ENDED, now);
    return () => {
      clearInterval(timer);
      window.removeEventListener(IMPERSONATION_ENDED, now);
    };
  }, [refresh]);

  if (loadError) {
    return (
      <main className="sign-in">
        <p className="error" role="alert">
          {loadError}
        </p>
      </main>
    );
  }
  if (!status) return <main className="loading">Loading…</main>;
  if (status.needsSetup) return <FirstRun />;
  if (!status.operator) return <SignIn notice={status.sessionNotice} />;
  return <Shell status={status} operator={status.operator} />;
}
