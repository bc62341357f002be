// A console in a process of its own that makes audited changes until it is killed (test/fault/crash.test.ts).
// alice (Super Admin, Flow Admin of Purchase Request) creates and retitles items; ian impersonates jdoe and does the
// same in Purchase Order, ending and starting his session now and then. Before each call it prints
// `try <json>`, after its Result `ack <json>`: what was acknowledged must survive a SIGKILL at any point.
// Run with `node --import tsx`, under scripts/with-keyring: the chain key is in the same keychain as the parent's.
import { createCore } from '../../../src/main/core';
import { keytarVault } from '../../../src/main/vault/keytarVault';
import type { Input, MethodName } from '../../../src/shared/contract';

const [dbPath, password, run] = process.argv.slice(2);
if (!dbPath || !password || !run) throw new Error('usage: crashWorker.ts DB PASSWORD RUN');

const core = await createCore({ dbPath, vault: keytarVault });
const say = (line: string, value: object) => process.stdout.write(`${line} ${JSON.stringify(value)}\n`);

async function must<M extends MethodName>(connection: string, method: M, input: Input<M>): Promise<unknown> {
  const r = await core.call(connection, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

await must('admin', 'auth.signIn', { username: 'alice', password });
await must('ian', 'auth.signIn', { username: 'ian', password });
process.stdout.write('ready\n');

interface Actor {
  connection: string;
  flow: string;
  /** Who the records must name: the operator, and the user acted as while impersonating. */
  operator: string;
  effectiveUser: string;
  items: number[];
}
const actors: Actor[] = [
  { connection: 'admin', flow: 'Purchase Request', operator: 'alice', effectiveUser: 'alice', items: [] },
  { connection: 'ian', flow: 'Purchase Order', operator: 'ian', effectiveUser: 'jdoe', items: [] },
];
let impersonating = false;

for (let n = 0; ; n++) {
  const actor = actors[n % 2]!;
  if (actor.connection === 'ian' && (!impersonating || n % 10 === 1)) {
    if (impersonating) {
      say('try', { op: 'end' });
      await must('ian', 'impersonation.end', {});
      say('ack', { op: 'end' });
    }
    say('try', { op: 'start' });
    await must('ian', 'impersonation.start', { username: 'jdoe', reason: `crash test ${run}` });
    impersonating = true;
    say('ack', { op: 'start' });
  }
  const title = `r${run}-${n}`;
  const mine = actor.items;
  if (mine.length === 0 || n % 3 === 0) {
    say('try', { op: 'create', title, ...actor, items: undefined });
    const item = (await must(actor.connection, 'items.create', { flow: actor.flow, title })) as { id: number };
    mine.push(item.id);
    say('ack', { op: 'create', id: item.id, title, ...actor, items: undefined });
  } else {
    const id = mine[n % mine.length]!;
    say('try', { op: 'update', id, title, ...actor, items: undefined });
    await must(actor.connection, 'items.update', { id, title });
    say('ack', { op: 'update', id, title, ...actor, items: undefined });
  }
}
