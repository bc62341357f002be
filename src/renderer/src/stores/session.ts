// Who is signed in, and whether the console is set up; refreshed from main, never decided here.
import { create } from 'zustand';
import { api } from '../api';
import type { AppStatus, Operator } from '../../../shared/model';
import type { ApiError, Result } from '../../../shared/result';

interface SessionState {
  status: AppStatus | null;
  loadError: string | null;
  refresh(): Promise<void>;
  /** Runs a setup or sign-in call; on success the status is reloaded. Returns the error message, if any. */
  enter(call: () => Promise<Result<Operator>>): Promise<ApiError | null>;
  signOut(): Promise<void>;
}

export const useSession = create<SessionState>((set, get) => ({
  status: null,
  loadError: null,
  async refresh() {
    const result = await api['app.status']({});
    if (result.ok) set({ status: result.value, loadError: null });
    else set({ loadError: result.error.message });
  },
  async enter(call) {
    const result = await call();
    if (!result.ok) return result.error;
    await get().refresh();
    return null;
  },
  async signOut() {
    await api['auth.signOut']({});
    await get().refresh();
  },
}));
