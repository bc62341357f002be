// The current policy as a bundle, section by section. Secrets and password verifiers are never part of it.
import { loadPolicyData } from '../policy/source';
import { BUNDLE_SECTIONS } from './sections';
import { BUNDLE_KEYS, type Bundle } from '../../shared/bundle';
import type { Db } from '../kernel/ports';

export function exportBundle(db: Db): Bundle {
  const data = loadPolicyData(db);
  const parts = new Map<string, unknown>(BUNDLE_SECTIONS.map((s) => [s.key, s.export(db, data)]));
  // Keys in the format's order (docs/policy-bundle.md), whatever order the sections are written in.
  const bundle: Record<string, unknown> = { version: 1 };
  for (const k of BUNDLE_KEYS) if (parts.get(k) !== undefined) bundle[k] = parts.get(k);
  return bundle as Bundle;
}
