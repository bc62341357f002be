import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, bundleSchemaJson } from '../../scripts/bundle-schema';

describe('docs/policy-bundle.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run npm run docs:schema after changing it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(bundleSchemaJson());
  });
});
