import { useMutation, useQueryClient } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { ChatwootAccount, ChatwootConnectBody } from '../../lib/contracts/chatwoot';
import { ApiFailure, refusalMessage, request } from './api';
import { PLAIN_ERRORS, placeDetails } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { SecretInput } from './SecretInput';

const INPUTS = ['baseUrl', 'accountId', 'apiAccessToken', 'webhookSecret'] as const;
const refusal = (err: unknown) => placeDetails(err instanceof ApiFailure ? err.details : [], INPUTS);
export const chatwootKeys = { accounts: ['chatwoot', 'accounts'] as const };

/** Connect a Chatwoot account: the server checks the token with one call and says what is wrong. */
export function ChatwootConnectForm() {
  const client = useQueryClient();
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const { register, handleSubmit, reset, setFocus, formState: { errors } } = useForm<z.input<typeof ChatwootConnectBody>, unknown, z.output<typeof ChatwootConnectBody>>({
    resolver: zodResolver(ChatwootConnectBody, PLAIN_ERRORS),
    defaultValues: { baseUrl: '', accountId: '', apiAccessToken: '' },
  });
  const connect = useMutation({
    mutationFn: (body: z.output<typeof ChatwootConnectBody>) => request(ChatwootAccount, 'POST', '/chatwoot/accounts', body),
    onMutate: () => setServerErrors({}),
    onError: (err) => {
      const { placed } = refusal(err);
      setServerErrors(placed);
      const first = INPUTS.find((f) => f in placed);
      if (first) setFocus(first);
    },
    onSuccess: () => { reset(); void client.invalidateQueries({ queryKey: chatwootKeys.accounts }); },
  });
  const submit = handleSubmit((v) => connect.mutate(v.webhookSecret ? v : { ...v, webhookSecret: undefined }));
  return (
    <FieldErrorsContext.Provider value={serverErrors}>
      <FormError message={connect.error ? refusalMessage(connect.error, refusal(connect.error).placed) : undefined} details={connect.error ? refusal(connect.error).rest : undefined} />
      <form className="inline-form" aria-label="Connect a Chatwoot account" noValidate onSubmit={submit}>
        <Field label="Chatwoot address" path="baseUrl" error={errors.baseUrl?.message} hint="e.g. https://chatwoot.example.com">
          {(p) => <input {...p} {...register('baseUrl')} placeholder="https://" />}
        </Field>
        <Field label="Account ID" path="accountId" error={errors.accountId?.message} hint="The number after /app/accounts/ in Chatwoot's address bar">
          {(p) => <input {...p} {...register('accountId')} inputMode="numeric" />}
        </Field>
        <Field label="API access token" path="apiAccessToken" error={errors.apiAccessToken?.message} hint="An administrator's: in Chatwoot, signed in as an administrator, Profile settings → Access Token (an agent's token sees only that agent's inboxes). Stored encrypted, never shown again.">
          {(p) => <SecretInput {...p} what="API access token" {...register('apiAccessToken')} />}
        </Field>
        <Field label="Webhook secret (optional)" path="webhookSecret" error={errors.webhookSecret?.message} hint="Chatwoot 4.11.2 and later show a secret for each webhook; paste it to verify deliveries">
          {(p) => <SecretInput {...p} what="webhook secret" {...register('webhookSecret', { setValueAs: (v: string) => (v.trim() === '' ? undefined : v) })} />}
        </Field>
        <button type="submit" disabled={connect.isPending}>{connect.isPending ? 'Checking…' : 'Connect Chatwoot'}</button>
      </form>
      {connect.data && (
        <div className="notice" role="status">
          Connected <strong>{connect.data.name}</strong> as {connect.data.agentName ?? 'the token’s user'}.{' '}
          {connect.data.relinked
            ? 'It was connected before: its conversations and contacts are picked up where they were, and its webhook URL is the same as then.'
            : 'Now add the webhook below in Chatwoot.'}
        </div>
      )}
    </FieldErrorsContext.Provider>
  );
}
