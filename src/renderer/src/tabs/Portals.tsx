// Portals and the design objects they reach (issue 20): each portal's findings with their one-click fixes, and the
// objects' permission lists. Changes need serviceAccount.update (the account administrators); reading, directory.read.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { DesignObjects } from '../components/portals/DesignObjects';
import { NewPortal } from '../components/portals/NewPortal';
import { PortalCard } from '../components/portals/PortalCard';
import { usePermissions } from '../stores/permissions';
import type { DesignObject, PortalReport } from '../../../shared/portals';
import type { Result } from '../../../shared/result';

export function Portals() {
  const canEdit = usePermissions((s) => s.can['serviceAccount.update'] === true);
  const [objects, setObjects] = useState<DesignObject[]>([]);
  const [reports, setReports] = useState<PortalReport[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const [o, p] = await Promise.all([api['designObjects.list']({}), api['portals.list']({})]);
    if (o.ok) setObjects(o.value);
    if (p.ok) setReports(p.value);
    setError(!o.ok ? o.error.message : !p.ok ? p.error.message : null);
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
    <section className="portals" aria-label="Portals">
      <h2>Portals</h2>
      <ErrorNote message={error} />
      {reports.length === 0 && <p className="muted">No portals yet.</p>}
      {reports.map((r) => (
        <PortalCard key={r.portal.name} report={r} canEdit={canEdit} act={act} />
      ))}
      {canEdit && <NewPortal onDone={(r) => (r.ok ? reload() : Promise.resolve())} />}
      <DesignObjects objects={objects} canEdit={canEdit} act={act} />
    </section>
  );
}
