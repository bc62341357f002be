// The Design objects tab (issue 20): record types, process models, document folders, data stores and web APIs with
// their permission lists, which decide what portals' service accounts reach. Changes need serviceAccount.update (the
// account administrators); reading, directory.read. The Portals tab judges portals against these lists.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { DesignObjects } from '../components/portals/DesignObjects';
import { usePermissions } from '../stores/permissions';
import type { DesignObject } from '../../../shared/portals';
import type { Result } from '../../../shared/result';

export function DesignObjectsTab() {
  const canEdit = usePermissions((s) => s.can['serviceAccount.update'] === true);
  const [objects, setObjects] = useState<DesignObject[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const r = await api['designObjects.list']({});
    if (r.ok) setObjects(r.value);
    setError(r.ok ? null : r.error.message);
  }, []);
  useEffect(() => void reload(), [reload]);

  const act = useCallback(
    async (call: Promise<Result<unknown>>) => {
      const r = await call;
      setError(r.ok ? null : r.error.message);
      if (r.ok) await reload();
      return r.ok;
    },
    [reload],
  );

  return (
    <>
      <ErrorNote message={error} />
      <DesignObjects objects={objects} canEdit={canEdit} act={act} />
    </>
  );
}
