// A tab that shows what a load returns and changes it through calls: each call's error is shown in place of the last
// one, and a call that succeeds reloads the tab, so what is shown is what main now holds.
import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../../shared/result';

export interface ReloadingAct {
  /** The last load's or call's error, for the tab's ErrorNote. */
  error: string | null;
  reload(): Promise<void>;
  /** Awaits a call, shows its error or reloads; true when it succeeded. */
  act(call: Promise<Result<unknown>>): Promise<boolean>;
}

/** `load` returns the load's error message, or null; it must be stable (useCallback), as it is loaded again when it changes. */
export function useReloadingAct(load: () => Promise<string | null>): ReloadingAct {
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => setError(await load()), [load]);
  useEffect(() => void reload(), [reload]);
  const act = useCallback(
    async (call: Promise<Result<unknown>>) => {
      const r = await call;
      setError(r.ok ? null : r.error.message);
      if (r.ok) await reload();
      return r.ok;
    },
    [reload],
  );
  return { error, reload, act };
}
