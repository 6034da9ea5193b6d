import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ChatwootAccount } from '../../lib/contracts/chatwoot';
import { ApiFailure, errorMessage, request } from './api';
import { chatwootKeys } from './ChatwootConnectForm';
import { chatwootHost, sameChatwootHost } from '../../lib/contracts/chatwoot-host';
import { SecretInput } from './SecretInput';

/**
 * Where the connected Chatwoot answers (https once TLS is set up, a new domain): changed in place,
 * as n8n's and Chatwoot's own integrations edit an instance URL, so its conversations stay linked.
 * The server checks the new address as a connect does and says what is wrong. On another host the
 * token is asked for again (the server sends the connected one only to its own host), as n8n asks
 * for a credential again when its URL changes: asked here before Save, not after a refusal.
 */
export function ChatwootAddressForm({ account }: { account: ChatwootAccount }) {
  const client = useQueryClient();
  const id = useId();
  const tokenId = useId();
  const [value, setValue] = useState(account.baseUrl);
  const [token, setToken] = useState('');
  const save = useMutation({
    mutationFn: (body: { baseUrl: string; apiAccessToken?: string }) => request(ChatwootAccount, 'PATCH', `/chatwoot/accounts/${account.id}`, body),
    onSuccess: (saved) => { setValue(saved.baseUrl); setToken(''); void client.invalidateQueries({ queryKey: chatwootKeys.accounts }); },
  });
  const typed = value.trim();
  // Not a URL yet (being typed): the server's 422 says what is wrong with it; no token asked for.
  const otherHost = chatwootHost(typed) !== null && !sameChatwootHost(typed, account.baseUrl);
  const ready = Boolean(typed) && typed !== account.baseUrl && (!otherHost || Boolean(token.trim()));
  const tokenRefused = save.error instanceof ApiFailure && save.error.details.some((d) => d.path === 'apiAccessToken');
  return (
    <form className="inline-form" aria-label={`Address of ${account.name}`} onSubmit={(e) => { e.preventDefault(); if (ready) save.mutate({ baseUrl: typed, ...(otherHost ? { apiAccessToken: token.trim() } : {}) }); }}>
      <div className="field">
        <label htmlFor={id}>Address</label>
        <input id={id} aria-label={`Chatwoot address of ${account.name}`} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={save.error && !tokenRefused ? true : undefined} />
        <p className="hint">Moved Chatwoot (to https, another domain)? Enter where it answers now: checked with the token, and its conversations stay linked.</p>
      </div>
      {otherHost && (
        <div className="field">
          <label htmlFor={tokenId}>Access token at {chatwootHost(typed)}</label>
          <SecretInput id={tokenId} aria-label={`Access token of ${account.name} at the new address`} what={`access token of ${account.name} at the new address`} value={token} onChange={(e) => setToken(e.target.value)} aria-invalid={tokenRefused ? true : undefined} />
          <p className="hint">Another host: paste the access token again (Chatwoot: Profile settings → Access Token). The connected token is only ever sent to {chatwootHost(account.baseUrl)}.</p>
        </div>
      )}
      <button type="submit" className="small" aria-label={`Save the address of ${account.name}`} disabled={save.isPending || !ready}>{save.isPending ? 'Checking…' : 'Save'}</button>
      {save.error && <p className="error" role="alert">{errorMessage(save.error)}</p>}
      {save.isSuccess && !save.error && <p className="notice" role="status">Address changed to {save.data.baseUrl}.</p>}
    </form>
  );
}
