// Where Deputy keeps its database by default: the OS app-data folder, as Electron's userData would be.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Deputy');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Deputy');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Deputy');
}

/** `--db` wins, then DEPUTY_DB, then the app-data folder. */
export function databasePath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.DEPUTY_DB ?? join(appDataDir(env), 'deputy.db');
}
