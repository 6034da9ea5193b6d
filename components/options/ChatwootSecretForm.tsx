import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { errorMessage, request } from './api';
import { chatwootKeys } from './ChatwootConnectForm';
import { SecretInput } from './SecretInput';

/**
 * Chatwoot shows a webhook's secret only once the webhook exists, which needs the URL the
 * companion gave at connect time: so the secret (and a new token) are set here, afterwards.
 */
export function ChatwootSecretForm({ account, field }: { account: ChatwootAccount; field: 'webhookSecret' | 'apiAccessToken' }) {
  const client = useQueryClient();
  const id = useId();
  const [value, setValue] = useState('');
  const save = useMutation({
    mutationFn: (body: Record<string, string | null>) => request(ChatwootAccount, 'PATCH', `/chatwoot/accounts/${account.id}`, body),
    onSuccess: () => { setValue(''); void client.invalidateQueries({ queryKey: chatwootKeys.accounts }); },
  });
  const label = field === 'webhookSecret' ? 'Webhook secret' : 'New API access token';
  return (
    <form className="inline-form" aria-label={`${label} for ${account.name}`} onSubmit={(e) => { e.preventDefault(); if (value.trim()) save.mutate({ [field]: value.trim() }); }}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {/* Each account has both forms: named by the account, as the form is. */}
        <SecretInput id={id} aria-label={`${label} of ${account.name}`} what={`${label.charAt(0).toLowerCase() + label.slice(1)} of ${account.name}`} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={save.error ? true : undefined} />
      </div>
      <button type="submit" className="small" aria-label={`Save the ${label.charAt(0).toLowerCase() + label.slice(1)} of ${account.name}`} disabled={save.isPending || !value.trim()}>Save</button>
      {field === 'webhookSecret' && account.webhookSecretLastFour && (
        <button type="button" className="small" aria-label={`Remove the webhook secret of ${account.name}`} onClick={() => save.mutate({ webhookSecret: null })}>Remove secret</button>
      )}
      {save.error && <p className="error" role="alert">{errorMessage(save.error)}</p>}
    </form>
  );
}
