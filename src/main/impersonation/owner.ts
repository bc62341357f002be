// Who owns a running impersonation session: one core in one process. Crash recovery closes a session only when
// its owner is gone — its process no longer runs on this machine, or its lease has run out (an owner elsewhere, or
// one that stopped renewing) — never one that a live console or `deputy serve` beside us is still running.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** How long a lease holds without renewal, and how often a live core renews it. */
export const LEASE_MS = 60_000;
export const RENEW_EVERY_MS = 15_000;

/** `host|pid|nonce`: the nonce tells two cores of one process apart. */
export const newOwner = (): string => `${hostname()}|${process.pid}|${randomUUID()}`;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // it exists, but is not ours to signal
  }
}

/** Whether a session of `owner` whose lease holds until `leaseUntil` may be closed as left by a crash, at `now`. */
export function ownerGone(owner: string | null, leaseUntil: string | null, now: Date): boolean {
  if (owner === null || leaseUntil === null) return true; // written before owners were kept
  if (leaseUntil <= now.toISOString()) return true;
  const [host, pid] = owner.split('|');
  return host === hostname() && !processRuns(Number(pid));
}
