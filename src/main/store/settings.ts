// The settings repository: one key → text table, for the console's settings and for what the core keeps
// between runs (install id, chain key id, forwarding target and cursor, organisation name).
import type { Db } from '../kernel/ports';
import type { Settings } from '../../shared/model';

export const DEFAULT_SETTINGS: Settings = {
  idleLockMinutes: 15,
  impersonationMinutes: 60,
  dormancyDays: 90,
  keyRotationDays: 90,
  signInLockoutMinutes: 15,
};

const KEYS: { [K in keyof Settings]: string } = {
  idleLockMinutes: 'session.idle_lock_minutes',
  impersonationMinutes: 'impersonation.max_minutes',
  dormancyDays: 'service_accounts.dormancy_days',
  keyRotationDays: 'service_accounts.key_rotation_days',
  signInLockoutMinutes: 'auth.signin_lockout_minutes',
};

const UPSERT = `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;

export function readSetting(db: Db, key: string): string | undefined {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeSetting(db: Db, key: string, value: string): void {
  db.prepare(UPSERT).run(key, value);
}

export function deleteSetting(db: Db, key: string): void {
  db.prepare(`DELETE FROM settings WHERE key = ?`).run(key);
}

/** Prepared once, for a caller that writes one setting very often (the syslog cursor moves once per record). */
export function settingWriter(db: Db, key: string): (value: string) => void {
  const upsert = db.prepare(UPSERT);
  return (value) => void upsert.run(key, value);
}

/**
 * Reads the token migration 030's triggers (240's since: a value never held twice) change on every write to what
 * decide() reads. Prepared once: it is read before every decision.
 */
export function policyGenerationReader(db: Db): () => unknown {
  const generation = db.prepare(`SELECT value FROM settings WHERE key = 'policy_generation'`).pluck();
  return () => generation.get();
}

/**
 * Only the keys above are read: a key no setting names any more is ignored where it stays, e.g. the
 * `impersonation.require_reason` of databases made before R-S10's reason became unconditional.
 */
export function readSettings(db: Db): Settings {
  const out: Record<string, number> = {};
  for (const [field, key] of Object.entries(KEYS) as [keyof Settings, string][]) {
    const raw = readSetting(db, key);
    out[field] = raw === undefined ? DEFAULT_SETTINGS[field] : Number(raw);
  }
  return out as unknown as Settings;
}

export function writeSettings(db: Db, next: Partial<Settings>): void {
  const upsert = db.prepare(UPSERT);
  for (const [field, value] of Object.entries(next) as [keyof Settings, number][]) {
    upsert.run(KEYS[field], String(value));
  }
}
