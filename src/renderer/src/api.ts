// The renderer's one way to reach main: the preload's window.deputy in Electron, else HTTP in
// browser mode. Both are built from the same contract, so the rest of the UI never knows which.
import { createClient, type DeputyApi, type Transport } from '../../shared/client';
import type { Result } from '../../shared/result';

declare global {
  interface Window {
    deputy?: DeputyApi;
  }
}

const http: Transport = async (method, input) => {
  const res = await fetch('/api', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method, input }),
  });
  if (res.status === 403) {
    return {
      ok: false,
      error: {
        code: 'unauthenticated',
        message: 'This browser session is not valid. Open the URL Deputy printed at launch.',
      },
    };
  }
  return (await res.json()) as Result<unknown>;
};

/**
 * Fired when a call was refused because the operator's impersonation had just ended by itself (R-S9: main refuses
 * the first call after, rather than run it with the operator's own rights): the window reloads who it acts as then,
 * not at its next status poll, so the banner goes with the refusal.
 */
export const IMPERSONATION_ENDED = 'deputy:impersonation-ended';

const telling =
  (api: DeputyApi): Transport =>
  async (method, input) => {
    const r = await (api[method] as (input: unknown) => Promise<Result<unknown>>)(input);
    if (!r.ok && r.error.code === 'conflict' && r.error.rule === 'R-S9')
      window.dispatchEvent(new Event(IMPERSONATION_ENDED));
    return r;
  };

export const api: DeputyApi = createClient(telling(window.deputy ?? createClient(http)));
