// The flow fields repository: each flow's field list (name, type, required), in order.
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type { FieldType, FlowField } from '../../shared/model';

export function flowFields(db: Db, flowId: number): FlowField[] {
  return (
    cached(db, `SELECT name, type, required FROM flow_fields WHERE flow_id = ? ORDER BY position`).all(flowId) as {
      name: string;
      type: FieldType;
      required: number;
    }[]
  ).map((r) => ({ name: r.name, type: r.type, required: r.required === 1 }));
}

/** Replaces the flow's field list. */
export function replaceFlowFields(db: Db, flowId: number, fields: readonly FlowField[]): void {
  db.prepare(`DELETE FROM flow_fields WHERE flow_id = ?`).run(flowId);
  const insert = db.prepare(`INSERT INTO flow_fields (flow_id, name, type, required, position) VALUES (?, ?, ?, ?, ?)`);
  fields.forEach((f, i) => insert.run(flowId, f.name, f.type, f.required ? 1 : 0, i));
}
