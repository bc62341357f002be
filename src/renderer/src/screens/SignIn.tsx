import { useState } from 'react';
import { api } from '../api';
import { ActionForm, Field } from '../components/Form';
import { useSession } from '../stores/session';

export function SignIn({ notice }: { notice: string | null }) {
  const enter = useSession((s) => s.enter);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <main className="sign-in">
      <h1>Deputy</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ActionForm
        title="Sign in"
        submit="Sign in"
        action={() => enter(() => api['auth.signIn']({ username, password }))}
      >
        <Field label="Username" value={username} onChange={setUsername} autoComplete="username" autoFocus />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
      </ActionForm>
    </main>
  );
}
