import type { Db } from './db';
import type { Settings } from '../../shared/model';

export const DEFAULT_SETTINGS: Settings = { idleLockMinutes: 15 };

const KEYS: { [K in keyof Settings]: string } = { idleLockMinutes: 'session.idle_lock_minutes' };

export function readSetting(db: Db, key: string): string | undefined {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  return row?.value;
}

export function readSettings(db: Db): Settings {
  const idle = readSetting(db, KEYS.idleLockMinutes);
  return { idleLockMinutes: idle === undefined ? DEFAULT_SETTINGS.idleLockMinutes : Number(idle) };
}

export function writeSettings(db: Db, next: Settings): void {
  const upsert = db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  for (const [field, key] of Object.entries(KEYS) as [keyof Settings, string][]) upsert.run(key, String(next[field]));
}
