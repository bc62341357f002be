// What this Deputy is: its version and the schema it writes (issue 22 #3: `deputy --version`).
import { version } from '../../package.json';
import { LATEST_VERSION, MIGRATIONS } from './store/migrations';

export const DEPUTY_VERSION: string = version;

const schema = (n: number) => String(n).padStart(3, '0');

/** `schema 170 (opens databases of schema 010 to 170; an older one is backed up, then upgraded)` */
export function schemaLine(): string {
  const oldest = MIGRATIONS[0]?.version ?? LATEST_VERSION;
  return (
    `schema ${schema(LATEST_VERSION)} (opens Deputy databases of schema ${schema(oldest)} to ` +
    `${schema(LATEST_VERSION)}; an older one is backed up beside itself, then upgraded)`
  );
}
