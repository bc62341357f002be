// The items repository: items in flows, read newest first by keyset (id), for a flow or for one person's My Items.
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type { FieldValue, Item, ItemState } from '../../shared/model';

interface ItemRow {
  id: number;
  flow: string;
  title: string;
  state: ItemState;
  created_by: string;
  assigned_to: string | null;
  fields: string;
  created_at: string;
  updated_at: string;
}

/** An item as stored, with the id of its flow. */
export interface StoredItem extends Item {
  flowId: number;
}

const SELECT = `SELECT i.id, i.flow_id AS flowId, f.name AS flow, i.title, i.state, i.created_by, i.assigned_to,
  i.fields, i.created_at, i.updated_at FROM items i JOIN flows f ON f.id = i.flow_id`;

const toItem = (r: ItemRow & { flowId: number }): StoredItem => ({
  id: r.id,
  flowId: r.flowId,
  flow: r.flow,
  title: r.title,
  state: r.state,
  createdBy: r.created_by,
  assignedTo: r.assigned_to,
  fields: JSON.parse(r.fields) as Record<string, FieldValue>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function findItem(db: Db, id: number): StoredItem | undefined {
  const row = cached(db, `${SELECT} WHERE i.id = ?`).get(id) as (ItemRow & { flowId: number }) | undefined;
  return row && toItem(row);
}

/** An item as stored: its flow by id; its own id only when restored with the id it had. */
export type NewItem = Omit<Item, 'id' | 'flow'> & { id?: number; flowId: number };

export function insertItem(db: Db, item: NewItem): number {
  return Number(
    cached(
      db,
      `INSERT INTO items (id, flow_id, title, state, created_by, assigned_to, fields, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      item.id ?? null,
      item.flowId,
      item.title,
      item.state,
      item.createdBy,
      item.assignedTo,
      JSON.stringify(item.fields),
      item.createdAt,
      item.updatedAt,
    ).lastInsertRowid,
  );
}

export interface ItemChange {
  title: string;
  state: ItemState;
  assignedTo: string | null;
  fields: Record<string, FieldValue>;
  updatedAt: string;
}

/**
 * Writes the change over the item as it was read (`read`: its updated_at then). False when it was changed since (by
 * another process on the file, between the read and this write): nothing is written.
 */
export function updateItem(db: Db, id: number, read: string, c: ItemChange): boolean {
  return (
    cached(
      db,
      `UPDATE items SET title = ?, state = ?, assigned_to = ?, fields = ?, updated_at = ? WHERE id = ? AND updated_at = ?`,
    ).run(c.title, c.state, c.assignedTo, JSON.stringify(c.fields), c.updatedAt, id, read).changes > 0
  );
}

/** Deletes the item as it was read (see updateItem); false when it was changed or deleted since. */
export function deleteItemById(db: Db, id: number, read: string): boolean {
  return db.prepare(`DELETE FROM items WHERE id = ? AND updated_at = ?`).run(id, read).changes > 0;
}

export function itemExists(db: Db, id: number): boolean {
  return Boolean(db.prepare(`SELECT 1 FROM items WHERE id = ?`).get(id));
}

const page = (db: Db, where: string, key: string | number, before: number | undefined, limit: number) =>
  (
    cached(db, `${SELECT} WHERE ${where} = ? AND i.id < ? ORDER BY i.id DESC LIMIT ?`).all(
      key,
      before ?? Number.MAX_SAFE_INTEGER,
      limit,
    ) as (ItemRow & { flowId: number })[]
  ).map(toItem);

/** A flow's items with ids below `before`, newest first (index items_flow). */
export const flowItems = (db: Db, flowId: number, before: number | undefined, limit: number): StoredItem[] =>
  page(db, 'i.flow_id', flowId, before, limit);

/** Items a person created (index items_created_by). */
export const itemsCreatedBy = (db: Db, username: string, before: number | undefined, limit: number): StoredItem[] =>
  page(db, 'i.created_by', username, before, limit);

/** Items assigned to a person (index items_assigned_to). */
export const itemsAssignedTo = (db: Db, username: string, before: number | undefined, limit: number): StoredItem[] =>
  page(db, 'i.assigned_to', username, before, limit);

/** A flow's items, for its deletion snapshot. */
export const allFlowItems = (db: Db, flowId: number): StoredItem[] =>
  page(db, 'i.flow_id', flowId, undefined, Number.MAX_SAFE_INTEGER);
