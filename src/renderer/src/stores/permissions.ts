// What the operator may do, asked of main's policy engine: the window shows and enables only that.
import { create } from 'zustand';
import { api } from '../api';
import type { Action } from '../../../shared/policy';

/** The account-level questions the shell asks once per sign-in. */
export const SHELL_CHECKS = [
  'directory.read',
  'directory.write',
  'serviceAccount.update',
  'sharedResource.grant',
  'settings.update',
  'policy.export',
  'policy.import',
  'audit.read',
  'serviceAccount.create',
  'serviceAccount.delete',
] as const satisfies readonly Action[];
type ShellCheck = (typeof SHELL_CHECKS)[number];

interface PermissionsState {
  can: Partial<Record<ShellCheck, boolean>>;
  /** False until main has answered for this operator: the shell waits rather than flash the wrong tabs. */
  loaded: boolean;
  load(): Promise<void>;
}

export const usePermissions = create<PermissionsState>((set) => ({
  can: {},
  loaded: false,
  async load() {
    set({ loaded: false });
    const r = await api['access.canI']({ checks: SHELL_CHECKS.map((action) => ({ action, resource: 'account' })) });
    set({ loaded: true, can: r.ok ? Object.fromEntries(SHELL_CHECKS.map((a, i) => [a, r.value[i] === true])) : {} });
  },
}));
