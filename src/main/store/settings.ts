import type { Db } from '../kernel/ports';
import type { Settings } from '../../shared/model';

export const DEFAULT_SETTINGS: Settings = {
  idleLockMinutes: 15,
  impersonationMinutes: 60,
  requireImpersonationReason: true,
  dormancyDays: 90,
  keyRotationDays: 90,
};

const KEYS: { [K in keyof Settings]: string } = {
  idleLockMinutes: 'session.idle_lock_minutes',
  impersonationMinutes: 'impersonation.max_minutes',
  requireImpersonationReason: 'impersonation.require_reason',
  dormancyDays: 'service_accounts.dormancy_days',
  keyRotationDays: 'service_accounts.key_rotation_days',
};

export function readSetting(db: Db, key: string): string | undefined {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  return row?.value;
}

export function readSettings(db: Db): Settings {
  const out: Record<string, number | boolean> = {};
  for (const [field, key] of Object.entries(KEYS) as [keyof Settings, string][]) {
    const raw = readSetting(db, key);
    const fallback = DEFAULT_SETTINGS[field];
    out[field] = raw === undefined ? fallback : typeof fallback === 'boolean' ? raw === 'true' : Number(raw);
  }
  return out as unknown as Settings;
}

export function writeSettings(db: Db, next: Partial<Settings>): void {
  const upsert = db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  for (const [field, value] of Object.entries(next) as [keyof Settings, number | boolean][]) {
    upsert.run(KEYS[field], String(value));
  }
}
