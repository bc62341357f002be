// Who the current call acts as, for every audit record it writes (R-S8): during an impersonation
// session each record carries the impersonated user and the impersonator, whichever code writes it.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Attribution {
  effectiveUser: string;
  impersonator: string;
}

const current = new AsyncLocalStorage<Attribution>();

export const runAttributed = <T>(a: Attribution | null, fn: () => T): T => (a ? current.run(a, fn) : fn());

export const currentAttribution = (): Attribution | undefined => current.getStore();
