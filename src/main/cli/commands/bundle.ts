// `deputy export` and `deputy import FILE [--dry-run]`: policy bundles from the terminal, as a signed-in
// operator (--user, password from DEPUTY_PASSWORD or a prompt), through the same contract as the window.
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { invoke } from '../invoke';
import { operatorPassword } from '../prompt';
import type { Core } from '../../core';

async function signIn(core: Core, user: string | undefined): Promise<void> {
  if (!user) throw new UsageError('Name the operator with --user NAME.');
  await invoke(core, 'auth.signIn', { username: user, password: await operatorPassword(`Password for ${user}: `) });
}

export async function exportCommand(core: Core, values: { user?: string; out?: string }): Promise<number> {
  await signIn(core, values.user);
  const text = `${JSON.stringify(await invoke(core, 'policy.export', {}), null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, text);
    console.error(`Wrote the policy bundle to ${values.out}.`);
  } else process.stdout.write(text);
  return 0;
}

export async function importCommand(
  core: Core,
  file: string | undefined,
  values: { user?: string; 'dry-run'?: boolean; accept?: string[] },
): Promise<number> {
  if (!file) throw new UsageError('import needs the bundle FILE.');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not a readable JSON file: ${(err as Error).message}`);
  }
  await signIn(core, values.user);
  const plan = await invoke(core, 'policy.import', {
    bundle: doc,
    dryRun: values['dry-run'] === true,
    accept: values.accept ?? [],
  });
  for (const c of plan.changes) {
    console.log(`${c.kind === 'add' ? '+' : '~'} ${c.subject}`);
    for (const d of c.details) console.log(`    ${d}`);
  }
  for (const w of plan.warnings) console.log(`! ${w}`);
  // Changes this person may not make (R-K4): a dry run shows them; the import itself is refused with them.
  for (const r of plan.refused) console.log(`refused ${r}`);
  // R-A4: each difference between environments, with the id --accept takes.
  for (const d of plan.drift)
    console.log(`${plan.accepted.includes(d.id) ? 'accepted' : 'differs'} ${d.id}: ${d.message}`);
  console.log(
    plan.changes.length === 0
      ? 'Nothing to change.'
      : plan.applied
        ? `Imported: ${plan.changes.length} changes.`
        : `Dry run: ${plan.changes.length} changes would be made; nothing was written.`,
  );
  // A pipeline that runs the dry run first stops there when the import itself would be refused.
  return plan.refused.length ? 1 : 0;
}
