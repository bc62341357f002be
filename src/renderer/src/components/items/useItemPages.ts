// A list of items paged by keyset: the first page, then "More" (the `next` cursor) for as long as there is one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ItemPage } from '../../../../shared/model';
import type { Result } from '../../../../shared/result';

export const PAGE_SIZE = 50;
/** The most items.list and myItems.list answer in one page. */
const MAX_PAGE = 500;

export type LoadItems<P extends ItemPage> = (cursor: number | undefined, limit: number) => Promise<Result<P>>;

export interface ItemPages<P extends ItemPage> {
  items: P['items'];
  /** The last page main answered (a flow's carries its fields and whether the caller may create). */
  last: P | null;
  more: (() => void) | null;
  error: string | null;
}

/** Loads the first page, again whenever `version` changes (after an action), as many items as were shown. */
export function useItemPages<P extends ItemPage>(load: LoadItems<P>, version: number): ItemPages<P> {
  const [items, setItems] = useState<P['items']>([]);
  const [last, setLast] = useState<P | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(0);

  useEffect(() => {
    let current = true;
    // After an action the list keeps its length: the item acted on stays in view rather than paging away.
    void load(undefined, Math.min(MAX_PAGE, Math.max(PAGE_SIZE, shown.current))).then((r) => {
      if (!current) return;
      setError(r.ok ? null : r.error.message);
      if (!r.ok) return;
      setItems(r.value.items);
      setLast(r.value);
      shown.current = r.value.items.length;
    });
    return () => {
      current = false;
    };
  }, [load, version]);

  const next = last?.next ?? null;
  const loadMore = useCallback(() => {
    if (next === null) return;
    void load(next, PAGE_SIZE).then((r) => {
      setError(r.ok ? null : r.error.message);
      if (!r.ok) return;
      setItems((old) => {
        shown.current = old.length + r.value.items.length;
        return [...old, ...r.value.items];
      });
      setLast(r.value);
    });
  }, [load, next]);

  return { items, last, more: next === null ? null : loadMore, error };
}
