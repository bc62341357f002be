import type { Caller } from '../auth/sessions';
import type { Contract, MethodName, Output, ParsedInput } from '../../shared/contract';

/** Who is calling: the connection, and the operator when the method needs one. */
export interface Call<Op> {
  connectionId: string;
  operator: Op;
}

type CallerOf<M extends MethodName> = Contract[M]['access'] extends 'operator' ? Caller : null;

export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  call: Call<CallerOf<M>>,
) => Output<M> | Promise<Output<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
