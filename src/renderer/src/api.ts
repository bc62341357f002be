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

export const api: DeputyApi = window.deputy ?? createClient(http);
