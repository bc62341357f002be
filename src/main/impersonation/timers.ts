// One core's impersonation expiry timers. Each core has its own, so two cores in one process (tests, a
// CLI run beside a console) never clear each other's; the delay comes from the core's clock.
import type { Clock } from '../kernel/clock';
import type { TimerStore } from '../kernel/ports';

/** A timer may fire a little early on some platforms; the expiry check itself compares with the clock. */
const SLACK_MS = 50;

export function createTimers(clock: Clock): TimerStore {
  const timers = new Map<number, NodeJS.Timeout>();
  const clear = (id: number) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
  };
  return {
    set(id, fireAt, run) {
      clear(id);
      const timer = setTimeout(run, Math.max(0, fireAt.getTime() - clock().getTime()) + SLACK_MS);
      timer.unref();
      timers.set(id, timer);
    },
    clear,
    clearAll() {
      for (const id of [...timers.keys()]) clear(id);
    },
  };
}
