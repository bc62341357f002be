// A new portal: its name, its one service account (R-A1), and the objects each of its use cases uses (R-A2).
import { api } from '../../api';
import { PortalForm } from './PortalForm';
import type { Result } from '../../../../shared/result';

export function NewPortal(props: { onDone(r: Result<unknown>): Promise<void> }) {
  return (
    <PortalForm
      title="New portal"
      submit="Create portal"
      save={async (portal) => {
        const r = await api['portals.create'](portal);
        await props.onDone(r);
        return r.ok ? null : r.error.message;
      }}
    />
  );
}
