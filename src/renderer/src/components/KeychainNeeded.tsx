// What a button that needs a secret says while the OS keychain is unavailable: main's reason and fix, in plain words,
// as visible text the disabled button points to (aria-describedby), not only a tooltip.
import { useSession } from '../stores/session';
import type { KeychainStatus } from '../../../shared/model';

export type KeychainDown = Extract<KeychainStatus, { available: false }>;

/** The keychain's problem as main last reported it (app.status, polled), or null while it is available. */
export function useKeychainDown(): KeychainDown | null {
  const keychain = useSession((s) => s.status?.keychain);
  return keychain && !keychain.available ? keychain : null;
}

export function KeychainNeeded({ id, down, doing }: { id: string; down: KeychainDown; doing: string }) {
  return (
    <p id={id} className="notice keychain-needed" role="note">
      {doing} needs the OS keychain, which is unavailable. {down.reason} <strong>To fix:</strong> {down.fix}
    </p>
  );
}
