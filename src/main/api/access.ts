import { decideRecorded, requestFor } from '../policy/authorize';
import { decide } from '../policy/decide';
import { parseResource, type Resource } from '../../shared/policy';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

/** The contract's schema has already checked the syntax; this only narrows the type. */
const resource = (text: string): Resource => parseResource(text) ?? { type: 'account' };

export const accessHandlers = (app: AppContext) =>
  ({
    // Access check: anyone who may read the directory may ask about anyone in it.
    'access.check': (input) => {
      return decide(app.policy(), {
        actor: input.actor,
        action: input.action,
        resource: resource(input.resource),
        ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
      });
    },
    // What the window may show or enable for the operator: the same engine the handlers use.
    'access.canI': (input, { caller }) => {
      const data = app.policy();
      return input.checks.map((c) => decide(data, requestFor(caller, c.action, resource(c.resource))).allowed);
    },
    'access.decide': (input, { caller }) => decideRecorded(app, caller, input.action, resource(input.resource)),
  }) satisfies Pick<Handlers, 'access.check' | 'access.canI' | 'access.decide'>;
