// What the operator may do, asked of main's policy engine: the window shows and enables only that.
import { create } from 'zustand';
import { api } from '../api';
import { CAN_I_MAX_CHECKS, type Input } from '../../../shared/contract';
import type { Action } from '../../../shared/policy';

export type CanICheck = Input<'access.canI'>['checks'][number];

/**
 * Main's answer to each question, for lists of any length (one call per CAN_I_MAX_CHECKS questions);
 * null when main could not answer, and then the window offers nothing rather than guess.
 */
export async function canIAll(checks: readonly CanICheck[]): Promise<boolean[] | null> {
  const batches: CanICheck[][] = [];
  for (let i = 0; i < checks.length; i += CAN_I_MAX_CHECKS) batches.push(checks.slice(i, i + CAN_I_MAX_CHECKS));
  const answers = await Promise.all(batches.map((batch) => api['access.canI']({ checks: batch })));
  return answers.every((a) => a.ok) ? answers.flatMap((a) => (a.ok ? a.value : [])) : null;
}

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
