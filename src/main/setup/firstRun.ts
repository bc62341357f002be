// First launch: either create the first Super Admin by hand, or load the demo organisation.
// Both are allowed only while no Super Admin exists, and both sign the new Super Admin in.
import demo from '../../../resources/demo.json';
import { DeputyError } from '../kernel/errors';
import { hashPassword } from '../auth/password';
import { startOperatorSession } from '../auth/signIn';
import { writeBundle } from '../bundles/import';
import { makeDemoItems } from './demoItems';
import { bundleSchema } from '../../shared/bundle';
import { countSuperAdmins, insertPrincipal } from '../store/principals';
import { principalLabel, type Operator } from '../../shared/model';
import type { AppContext } from '../kernel/context';

export const needsSetup = (app: AppContext) => countSuperAdmins(app.db) === 0;

function assertNeedsSetup(app: AppContext): void {
  if (!needsSetup(app)) throw new DeputyError('conflict', 'Deputy is already set up. Sign in instead.');
}

export async function createFirstAdmin(
  app: AppContext,
  connectionId: string,
  input: { username: string; displayName: string; password: string },
): Promise<Operator> {
  assertNeedsSetup(app);
  const passwordHash = await hashPassword(input.password);
  return app.db.transaction(() => {
    assertNeedsSetup(app); // again: another window may have finished set-up while we hashed
    const op: Operator = { username: input.username, displayName: input.displayName, roles: ['super_admin'] };
    insertPrincipal(app.db, { ...op, kind: 'human', status: 'active', passwordHash }, app.clock().toISOString());
    app.audit.append({
      operator: op.username,
      action: 'setup.firstAdmin',
      target: op.username,
      message: `Created the first Super Admin: ${principalLabel(op)}`,
    });
    return startOperatorSession(app, connectionId, op);
  })();
}

export const demoBundle = bundleSchema.parse(demo);

/** The demo's Super Admin, who is signed in once the demo is loaded. */
export const DEMO_ADMIN = 'alice';

export async function loadDemo(app: AppContext, connectionId: string, password: string): Promise<Operator> {
  assertNeedsSetup(app);
  // Every demo person gets the chosen password, so each role can be tried by signing in as them; they share its one
  // verifier. A salt of their own each would cost an scrypt run each (13, ~2 s of the first start on 2 cores, and of
  // every test that loads the demo) and hide nothing: everyone in the demo knows the password is the same. A person
  // who sets a password of their own gets a salt of their own.
  const hash = await hashPassword(password);
  const hashes = new Map(demoBundle.users.filter((u) => u.kind === 'human').map((u) => [u.username, hash]));
  return app.db.transaction(() => {
    assertNeedsSetup(app);
    writeBundle(app, demoBundle, hashes);
    const items = makeDemoItems(app);
    const counts = {
      users: demoBundle.users.length,
      serviceAccounts: demoBundle.serviceAccounts.length,
      groups: demoBundle.groups.length,
      flows: demoBundle.flows.length,
      items,
    };
    const admin = demoBundle.users.find((u) => u.username === DEMO_ADMIN);
    if (!admin) throw new Error(`demo.json has no ${DEMO_ADMIN}`);
    app.audit.append({
      operator: admin.username,
      action: 'setup.demo',
      target: demoBundle.organisation,
      message: `Loaded the demo organisation ${demoBundle.organisation}: ${counts.users} users, ${counts.serviceAccounts} service accounts, ${counts.groups} groups, ${counts.flows} flows, ${counts.items} items`,
      details: { ...counts },
    });
    return startOperatorSession(app, connectionId, {
      username: admin.username,
      displayName: admin.displayName,
      roles: admin.roles,
    });
  })();
}
