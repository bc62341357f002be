// The Design objects tab (issue 20): record types, process models, document folders, data stores and web APIs with
// their permission lists, which decide what portals' service accounts reach. Changes need serviceAccount.update (the
// account administrators); reading, directory.read. The Portals tab judges portals against these lists.
import { useCallback, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { DesignObjects } from '../components/portals/DesignObjects';
import { usePermissions } from '../stores/permissions';
import { useReloadingAct } from '../components/useReloadingAct';
import type { DesignObject } from '../../../shared/portals';

export function DesignObjectsTab() {
  const canEdit = usePermissions((s) => s.can['serviceAccount.update'] === true);
  const [objects, setObjects] = useState<DesignObject[]>([]);
  const { error, act } = useReloadingAct(
    useCallback(async () => {
      const r = await api['designObjects.list']({});
      if (r.ok) setObjects(r.value);
      return r.ok ? null : r.error.message;
    }, []),
  );

  return (
    <>
      <ErrorNote message={error} />
      <DesignObjects objects={objects} canEdit={canEdit} act={act} />
    </>
  );
}
