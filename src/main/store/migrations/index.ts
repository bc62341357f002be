// The one migration runner: each migration in its own transaction, tracked with PRAGMA user_version.
import type Database from 'better-sqlite3';
import { m010Directory } from './010-directory';
import { m020Audit } from './020-audit';
import { m030PolicyGeneration } from './030-policy-generation';
import { m040AuditIndexes } from './040-audit-indexes';
import { m050Impersonation } from './050-impersonation';
import { m060AccessKeys } from './060-access-keys';
import { m070AuditFts } from './070-audit-fts';
import { m080AuditBlockIndexes } from './080-audit-block-indexes';
import { m090AuditFtsColumnsize } from './090-audit-fts-columnsize';
import { m100AuditActedAsIndex } from './100-audit-acted-as-index';
import { m110AuditChainForFirstLogs } from './110-audit-chain-for-first-logs';
import { m120Items } from './120-items';
import { m130AccessKeyFailures } from './130-access-key-failures';
import { m140ImpersonationOwner } from './140-impersonation-owner';
import { m150Integrations } from './150-integrations';
import { m160Portals } from './160-portals';
import { m170PortalKeys } from './170-portal-keys';
import { m180AuditFtsSession } from './180-audit-fts-session';
import { m190PortalKeyRetiring } from './190-portal-key-retiring';
import { m200LockoutAndSelfAdmin } from './200-lockout-and-self-admin';
import { m210PermissionGranteeIndex } from './210-permission-grantee-index';
import { m220AuditChainKeys } from './220-audit-chain-keys';
import { m230KeysLastUseKept } from './230-keys-last-use-kept';
import { m240PolicyGenerationToken } from './240-policy-generation-token';
import { m250LockedChecksCounted } from './250-locked-checks-counted';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** 'DPTY': marks the file as Deputy's, so we never migrate somebody else's database. */
export const APPLICATION_ID = 0x44505459;

export const MIGRATIONS: readonly Migration[] = [
  m010Directory,
  m020Audit,
  m030PolicyGeneration,
  m040AuditIndexes,
  m050Impersonation,
  m060AccessKeys,
  m070AuditFts,
  m080AuditBlockIndexes,
  m090AuditFtsColumnsize,
  m100AuditActedAsIndex,
  m110AuditChainForFirstLogs,
  m120Items,
  m130AccessKeyFailures,
  m140ImpersonationOwner,
  m150Integrations,
  m160Portals,
  m170PortalKeys,
  m180AuditFtsSession,
  m190PortalKeyRetiring,
  m200LockoutAndSelfAdmin,
  m210PermissionGranteeIndex,
  m220AuditChainKeys,
  m230KeysLastUseKept,
  m240PolicyGenerationToken,
  m250LockedChecksCounted,
];

MIGRATIONS.forEach((m, i) => {
  const prev = MIGRATIONS[i - 1];
  if (prev && m.version <= prev.version) {
    throw new Error(`Migration ${m.name} (${m.version}) is out of order after ${prev.name} (${prev.version})`);
  }
});

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function migrate(db: Database.Database, upTo = LATEST_VERSION, migrations = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
