import { useEffect } from 'react';
import { FirstRun } from './screens/FirstRun';
import { SignIn } from './screens/SignIn';
import { Shell } from './screens/Shell';
import { useSession } from './stores/session';

/** How often the window asks main whether the session is still open (main owns the idle lock). */
const STATUS_POLL_MS = 30_000;

export function App() {
  const { status, loadError, refresh } = useSession();

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), STATUS_POLL_MS);
    return () => clearInterval(timer);
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
