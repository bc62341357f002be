// Operator sessions held in main, one per connection (an Electron window, a browser-mode cookie, a CLI
// run). The identity of every call comes from here (through src/main/callers), never from the caller's input.
import type { OperatorSession, SessionStore } from '../kernel/ports';

export class SessionTable implements SessionStore {
  private readonly open = new Map<string, OperatorSession>();
  private readonly notices = new Map<string, string>();

  start(connectionId: string, username: string, now: Date): void {
    this.open.set(connectionId, { username, lastActivity: now.getTime() });
    this.notices.delete(connectionId);
  }

  end(connectionId: string, notice?: string): void {
    this.open.delete(connectionId);
    if (notice) this.notices.set(connectionId, notice);
  }

  get(connectionId: string): OperatorSession | undefined {
    return this.open.get(connectionId);
  }

  /** Every open connection, for ending their impersonation sessions on quit or expiry. */
  entries(): [string, OperatorSession][] {
    return [...this.open];
  }

  takeNotice(connectionId: string): string | null {
    const notice = this.notices.get(connectionId) ?? null;
    this.notices.delete(connectionId);
    return notice;
  }
}
