import { UsageError } from '../errors';
import { invoke } from '../invoke';
import { operatorPassword } from '../prompt';
import type { Core } from '../../core';

export async function init(
  core: Core,
  values: { username?: string; 'display-name'?: string; demo?: boolean },
): Promise<number> {
  if (values.demo) {
    const op = await invoke(core, 'setup.loadDemo', {
      password: await operatorPassword('Password for every demo user: '),
    });
    console.log(`Loaded the demo organisation. Sign in as ${op.username}.`);
    return 0;
  }
  if (!values.username) throw new UsageError('init needs --username (or --demo).');
  if (!values['display-name']?.trim())
    throw new UsageError('init needs --display-name "Full Name" for the first Super Admin.');
  const op = await invoke(core, 'setup.createFirstAdmin', {
    username: values.username,
    displayName: values['display-name'],
    password: await operatorPassword('Password for the first Super Admin (12 characters or more): '),
  });
  console.log(`Created the first Super Admin ${op.username}.`);
  return 0;
}
