import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { sendMessage } from '../../lib/extension/messaging';
import type { ConnectionState } from '../../lib/extension/protocol';
import { errorMessage } from './api';
import { Field } from './Field';
import { SecretInput } from './SecretInput';

const ConnectForm = z.object({
  // "127.0.0.1:8787" is the common slip: said as such, not as an empty address.
  serverUrl: z.string().trim().min(1, 'Enter the server address, e.g. http://127.0.0.1:8787')
    .regex(/^https?:\/\//i, 'Start the address with http:// or https://, e.g. http://127.0.0.1:8787')
    .regex(/^\S+$/, 'Remove the spaces from the address'),
  token: z.string().trim().min(1, 'Paste your token'),
});
type ConnectForm = z.infer<typeof ConnectForm>;

const TOKEN_HINT = 'Paste the admin token the server printed on its first start (kept in the admin-token file of its data folder), '
  + 'or a token an admin made for you under Settings → Users.';

/** Server URL + token, handed to the background, which keeps the connection for every page. */
export function ConnectPanel({ state }: { state: ConnectionState }) {
  const client = useQueryClient();
  const { register, handleSubmit, formState: { errors } } = useForm<ConnectForm>({
    resolver: zodResolver(ConnectForm),
    defaultValues: { serverUrl: 'serverUrl' in state ? state.serverUrl : 'http://127.0.0.1:8787', token: '' },
  });
  const connect = useMutation({
    mutationFn: (c: ConnectForm) => sendMessage('connect', c),
    onSuccess: (next) => client.setQueryData(['connection'], next),
  });
  const result = connect.data ?? state;
  const problem = connect.isError ? errorMessage(connect.error)
    : result.state === 'unauthorized' || result.state === 'unreachable' ? result.error : undefined;
  // The server's "Unknown token" says what is wrong, not where a right one is.
  const tokenHint = !connect.isError && result.state === 'unauthorized' ? TOKEN_HINT : undefined;
  return (
    <main className="connect">
      <h1><span aria-hidden="true">⚡</span> Inbox Companion</h1>
      <p>Connect to your companion server to configure workflows, mini-apps and restrictions.</p>
      {/* A new attempt stopped by the form's own checks clears the last attempt's answer, which was about other values. */}
      <form className="panel" noValidate onSubmit={handleSubmit((v) => connect.mutate(v), () => connect.reset())}>
        <Field label="Server URL" error={errors.serverUrl?.message}>{(p) => <input {...p} {...register('serverUrl')} />}</Field>
        <Field label="Token" error={errors.token?.message} hint="An admin or supervisor token; the server prints the admin token on first start.">
          {(p) => <SecretInput {...p} what="token" {...register('token')} />}
        </Field>
        {problem && <p className="error" role="alert">{tokenHint ? `${problem.replace(/[.\s]*$/, '.')} ${tokenHint}` : problem}</p>}
        <button type="submit" className="primary" disabled={connect.isPending}>{connect.isPending ? 'Connecting…' : 'Connect'}</button>
      </form>
    </main>
  );
}
