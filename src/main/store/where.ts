// Builds a WHERE clause from optional filters; values always go as parameters, never into the SQL text.

/** Escapes LIKE's wildcards so searched text matches literally (use with ESCAPE '\'). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface Where {
  add(clause: string, ...values: (string | number)[]): void;
  /** `WHERE a AND b`, or '' when nothing was added. */
  sql(): string;
  /** The conditions added, in order, for a caller joining them with its own. */
  clauses: string[];
  params: (string | number)[];
}

export function createWhere(): Where {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  return {
    add(clause, ...values) {
      clauses.push(clause);
      params.push(...values);
    },
    sql: () => (clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''),
    clauses,
    params,
  };
}
