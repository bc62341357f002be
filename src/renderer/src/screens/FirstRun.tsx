import { useState } from 'react';
import { api } from '../api';
import { ActionForm, Field } from '../components/Form';
import { useSession } from '../stores/session';

export function FirstRun() {
  const enter = useSession((s) => s.enter);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [demoPassword, setDemoPassword] = useState('');
  const [demoPassword2, setDemoPassword2] = useState('');

  /** A typo in a password nobody can reset (no Super Admin exists yet to set another) is caught here. */
  const same = (a: string, b: string) => (a === b ? null : 'The two passwords differ: type the same password twice.');

  return (
    <main className="first-run">
      <header>
        <h1>Welcome to Deputy</h1>
        <p>This database is new. Create the first Super Admin, or load a demo organisation to explore.</p>
      </header>
      <div className="cards">
        <ActionForm
          title="Create the first Super Admin"
          submit="Create and sign in"
          action={async () =>
            same(password, password2) ??
            (await enter(() => api['setup.createFirstAdmin']({ username, displayName, password })))
          }
        >
          <Field
            label="Username"
            name="username"
            value={username}
            onChange={setUsername}
            autoComplete="username"
            autoFocus
          />
          <Field
            label="Display name"
            name="displayName"
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            hint="How others find and recognise you, e.g. Rita Root."
          />
          <Field
            label="Password"
            name="password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="new-password"
            hint="At least 12 characters."
          />
          <Field
            label="Password again"
            type="password"
            value={password2}
            onChange={setPassword2}
            autoComplete="new-password"
          />
        </ActionForm>
        <ActionForm
          title="Load the demo organisation"
          submit="Load demo and sign in"
          action={async () =>
            same(demoPassword, demoPassword2) ?? (await enter(() => api['setup.loadDemo']({ password: demoPassword })))
          }
          footer={
            <p className="muted">
              Northwind Trading: the Purchase Request → Purchase Order company, with users of every role, a locked and
              an inactive user, guests, system users and two service accounts. You are signed in as Alice Admin (alice);
              every demo person gets this password.
            </p>
          }
        >
          <Field
            label="Password for the demo users"
            name="password"
            type="password"
            value={demoPassword}
            onChange={setDemoPassword}
            autoComplete="new-password"
            hint="At least 12 characters."
          />
          <Field
            label="Demo password again"
            type="password"
            value={demoPassword2}
            onChange={setDemoPassword2}
            autoComplete="new-password"
          />
        </ActionForm>
      </div>
    </main>
  );
}
