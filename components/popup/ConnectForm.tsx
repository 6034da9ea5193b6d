import { useId, useState, type FormEvent } from 'react';
import { requestServerAccess } from '../../lib/extension/host-permission';
import type { Connection, ConnectionState } from '../../lib/extension/protocol';
import { SecretInput } from '../options/SecretInput';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** Server URL + token; the background checks the token against /me before saving it. */
export function ConnectForm(props: {
  initialServerUrl?: string;
  busy: boolean;
  onConnect: (c: Connection) => Promise<ConnectionState>;
}) {
  const [serverUrl, setServerUrl] = useState(props.initialServerUrl ?? DEFAULT_SERVER_URL);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { url: useId(), token: useId(), error: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // First thing in the click: Chrome only prompts for a permission during a user gesture.
    const granted = await requestServerAccess(serverUrl);
    if (!granted) {
      setError(`Allow the extension to reach ${serverUrl} to connect to it.`);
      return;
    }
    if (!token.trim()) {
      setError('Enter your token.');
      return;
    }
    try {
      const state = await props.onConnect({ serverUrl, token });
      if (state.state === 'unauthorized') setError(`The server refused this token: ${state.error}`);
      else if (state.state === 'unreachable') setError(state.error);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <form className="connect" onSubmit={(e) => void submit(e)} aria-describedby={error ? ids.error : undefined}>
      <h1>Connect to your companion server</h1>
      <label htmlFor={ids.url}>Server URL</label>
      <input id={ids.url} name="serverUrl" type="url" required value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} autoComplete="url" />
      <label htmlFor={ids.token}>Token</label>
      <SecretInput id={ids.token} name="token" what="token" required value={token} onChange={(e) => setToken(e.target.value)}
        aria-invalid={error ? true : undefined} />
      {error && <p id={ids.error} className="error" role="alert">{error}</p>}
      <button type="submit" disabled={props.busy}>{props.busy ? 'Connecting…' : 'Connect'}</button>
    </form>
  );
}
