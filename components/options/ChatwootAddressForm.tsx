import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { errorMessage, request } from './api';
import { chatwootKeys } from './ChatwootConnectForm';

/**
 * Where the connected Chatwoot answers (https once TLS is set up, a new domain): changed in place,
 * as n8n's and Chatwoot's own integrations edit an instance URL, so its conversations stay linked.
 * The server checks the new address as a connect does and says what is wrong.
 */
export function ChatwootAddressForm({ account }: { account: ChatwootAccount }) {
  const client = useQueryClient();
  const id = useId();
  const [value, setValue] = useState(account.baseUrl);
  const save = useMutation({
    mutationFn: (baseUrl: string) => request(ChatwootAccount, 'PATCH', `/chatwoot/accounts/${account.id}`, { baseUrl }),
    onSuccess: (saved) => { setValue(saved.baseUrl); void client.invalidateQueries({ queryKey: chatwootKeys.accounts }); },
  });
  const typed = value.trim();
  return (
    <form className="inline-form" aria-label={`Address of ${account.name}`} onSubmit={(e) => { e.preventDefault(); if (typed && typed !== account.baseUrl) save.mutate(typed); }}>
      <div className="field">
        <label htmlFor={id}>Address</label>
        <input id={id} aria-label={`Chatwoot address of ${account.name}`} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={save.error ? true : undefined} />
        <p className="hint">Moved Chatwoot (to https, another domain)? Enter where it answers now: checked with the token, and its conversations stay linked.</p>
      </div>
      <button type="submit" className="small" aria-label={`Save the address of ${account.name}`} disabled={save.isPending || !typed || typed === account.baseUrl}>{save.isPending ? 'Checking…' : 'Save'}</button>
      {save.error && <p className="error" role="alert">{errorMessage(save.error)}</p>}
      {save.isSuccess && !save.error && <p className="notice" role="status">Address changed to {save.data.baseUrl}.</p>}
    </form>
  );
}
