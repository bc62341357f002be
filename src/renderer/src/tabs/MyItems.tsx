// My Items: what the effective user created, and what is assigned to them (R-K8); while impersonating jdoe these
// are jdoe's (R-S9), because main answers for the effective user. Each row offers what main allows on it.
import { useCallback, useState } from 'react';
import { api } from '../api';
import { ItemList, type FieldsOf } from '../components/items/ItemList';
import { useItemPages, type LoadItems } from '../components/items/useItemPages';
import type { ItemPage } from '../../../shared/model';

/**
 * My Items span flows, and a page does not carry each flow's field list: the flow's own page does (items.list),
 * and whoever may open an item may read its flow.
 */
const fieldsFromFlowPage: FieldsOf = async (flow) => {
  const r = await api['items.list']({ flow, limit: 1 });
  return r.ok ? { ok: true, value: r.value.fields } : r;
};

export function MyItems() {
  const [version, setVersion] = useState(0);
  // A change in one list can move an item into the other (submitting one's own item assigned to oneself).
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const loadCreated = useCallback<LoadItems<ItemPage>>(
    (cursor, limit) => api['myItems.list']({ which: 'created', cursor, limit }),
    [],
  );
  const loadAssigned = useCallback<LoadItems<ItemPage>>(
    (cursor, limit) => api['myItems.list']({ which: 'assigned', cursor, limit }),
    [],
  );
  const created = useItemPages(loadCreated, version);
  const assigned = useItemPages(loadAssigned, version);
  return (
    <div className="my-items">
      <ItemList
        label="Created by me"
        pages={created}
        empty="You have created no items."
        fieldsOf={fieldsFromFlowPage}
        onChanged={changed}
      />
      <ItemList
        label="Assigned to me"
        pages={assigned}
        empty="No items are assigned to you."
        fieldsOf={fieldsFromFlowPage}
        onChanged={changed}
      />
    </div>
  );
}
