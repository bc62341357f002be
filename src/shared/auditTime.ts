// The times an auditor types into From and To: a date, a date and time, or a full ISO 8601 instant. The table shows
// UTC, so a time without a zone is UTC too; a date given as To covers that whole day.

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A record's time as the screens show it: UTC, whole to the second. */
export const recordTime = (ts: string): string => ts.replace('T', ' ').slice(0, 19);

export const AUDIT_TIME_HINT = 'Write a date such as 2026-12-01, or a date and time such as 2026-12-01 09:30 (UTC).';

/**
 * The instant a From (inclusive) or To (exclusive) bound means, as the log stores times (toISOString), or null when
 * the text is no date: `2026-12-01` as To is 2026-12-02T00:00:00.000Z, the end of that day.
 */
export function auditTimeBound(text: string, bound: 'from' | 'to'): string | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let t = Date.UTC(year, month, day, hour, minute, second, ms);
  const date = new Date(t);
  // Date.UTC rolls 2026-02-30 over into March: a day that does not exist is refused, not moved.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offHours = Number(digits.slice(0, 2));
    const offMinutes = Number(digits.slice(2));
    if (offHours > 23 || offMinutes > 59) return null;
    t -= sign * (offHours * 60 + offMinutes) * 60_000;
  }
  if (h === undefined && bound === 'to') t += 24 * 60 * 60_000;
  return new Date(t).toISOString();
}
