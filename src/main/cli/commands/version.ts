// `deputy --version` (issue 22 #3): the version, the schema it writes, where its database is, the keychain it finds.
import { existsSync, statSync } from 'node:fs';
import { DEPUTY_VERSION, schemaLine } from '../../about';
import { probeKeychain } from '../../keychainProbe';
import type { VaultFactory } from '../../kernel/vault';

export async function versionCommand(dbPath: string, vault: VaultFactory): Promise<number> {
  const keychain = await probeKeychain(vault);
  const exists = existsSync(dbPath) && statSync(dbPath).size > 0;
  console.log(
    [
      `deputy ${DEPUTY_VERSION}`,
      schemaLine(),
      `database ${dbPath}${exists ? '' : ' (not created yet: the first start, or deputy init, creates it)'}`,
      keychain.available ? `keychain ${keychain.backend}` : `keychain none: ${keychain.reason}`,
    ].join('\n'),
  );
  return 0;
}
