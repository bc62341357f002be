// Writes docs/policy-bundle.schema.json from the zod schema, the one source of truth (npm run docs:schema).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { bundleSchema } from '../src/shared/bundle';

export const SCHEMA_FILE = fileURLToPath(new URL('../docs/policy-bundle.schema.json', import.meta.url));

/** The policy bundle's JSON Schema, as committed in docs/policy-bundle.schema.json. */
export function bundleSchemaJson(): string {
  const schema = z.toJSONSchema(bundleSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'Deputy policy bundle' }, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(SCHEMA_FILE, bundleSchemaJson());
