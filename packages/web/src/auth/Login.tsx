import { Show, createSignal, type Component } from 'solid-js';
import { login } from './session.ts';

/**
 * The sign-in form an API bound beyond loopback asks for: the API's token, or a user and password
 * from its users file. The user field empty means the secret is the token.
 */
export const Login: Component = () => {
  const [user, setUser] = createSignal('');
  const [secret, setSecret] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!secret()) return;
    setBusy(true);
    setError(null);
    try {
      await login(user().trim() ? { user: user().trim(), password: secret() } : { token: secret().trim() });
      setSecret('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="login-form" onSubmit={submit} data-testid="login-form" aria-labelledby="login-title">
        <h1 id="login-title" class="brand">
          LM Dashboard
        </h1>
        <p class="muted">This dashboard is reachable beyond this machine: sign in with the API's access token, or with your user name and password.</p>
        <label class="login-field">
          User <span class="muted small">(leave empty to use the token)</span>
          <input class="input" name="username" autocomplete="username" value={user()} onInput={(e) => setUser(e.currentTarget.value)} data-testid="login-user" />
        </label>
        <label class="login-field">
          {user().trim() ? 'Password' : 'Access token'}
          <input class="input" type="password" name="password" autocomplete="current-password" required value={secret()} onInput={(e) => setSecret(e.currentTarget.value)} data-testid="login-secret" autofocus />
        </label>
        <Show when={error()}>
          <p class="notice-error" role="alert" data-testid="login-error">
            {error()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" disabled={busy() || !secret()} data-testid="login-submit">
          Sign in
        </button>
      </form>
    </main>
  );
};
