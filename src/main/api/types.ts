import type { Caller, OperatorCaller } from '../kernel/caller';
import type { Contract, MethodName, Output, ParsedInput, PortalMethod, ProgramMethod } from '../../shared/contract';

/** Who a handler serves: public methods get the connection alone (sign-in starts a session on it). */
type CallOf<M extends MethodName> = Contract[M]['guard'] extends 'public'
  ? { connectionId: string }
  : { caller: M extends ProgramMethod | PortalMethod ? Caller : OperatorCaller };

export type Handler<M extends MethodName> = (input: ParsedInput<M>, call: CallOf<M>) => Output<M> | Promise<Output<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
