import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CHATWOOT_WEBHOOK_EVENTS, ChatwootAccountList, ChatwootDisconnected, ChatwootSyncResult, type ChatwootAccount } from '../../lib/contracts/chatwoot';
import { errorMessage, request } from './api';
import { ChatwootAddressForm } from './ChatwootAddressForm';
import { ChatwootConnectForm, chatwootKeys } from './ChatwootConnectForm';
import { ChatwootSecretForm } from './ChatwootSecretForm';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

const DISCONNECT_WARNING = 'Its webhook URL stops working and its token is forgotten. Contacts and conversations mirrored from it stay; '
  + 'open ones are no longer updated and workflow steps on them fail. Connecting the same account again picks them up.';

/** Who Chatwoot shows as the writer of what workflows post there, and why not the bot when it is not. */
function PostsAs({ postsAs, agentName }: { postsAs: NonNullable<ChatwootAccount['postsAs']>; agentName: string | null }) {
  if (postsAs.kind === 'bot') return <p>Workflows’ messages and notes show in Chatwoot as the agent bot {postsAs.name}.</p>;
  return <p className={postsAs.note ? 'notice' : undefined}>Workflows’ messages and notes show in Chatwoot as {postsAs.name ?? agentName ?? 'the token’s user'}.{postsAs.note ? ` ${postsAs.note}` : ''}</p>;
}

function AccountCard({ account, onDisconnected }: { account: ChatwootAccount; onDisconnected(message: string): void }) {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: chatwootKeys.accounts });
  const sync = useMutation({ mutationFn: () => request(ChatwootSyncResult, 'POST', `/chatwoot/accounts/${account.id}/sync`), onSettled: refresh });
  const remove = useMutation({
    mutationFn: () => request(ChatwootDisconnected, 'DELETE', `/chatwoot/accounts/${account.id}`),
    onSuccess: (done) => { onDisconnected(done.message); refresh(); },
  });
  return (
    <article className="card" aria-label={`Chatwoot ${account.name}`}>
      <h4>{account.name} <span className="muted">account {account.accountId} at {account.baseUrl}</span></h4>
      <p>Acting as {account.agentName ?? 'the token’s user'}, token {account.tokenLastFour}{account.webhookSecretLastFour ? `, webhook secret ${account.webhookSecretLastFour}` : ', deliveries unsigned'}.</p>
      {account.postsAs && <PostsAs postsAs={account.postsAs} agentName={account.agentName} />}
      <div className="field">
        <label htmlFor={`cw-hook-${account.id}`}>Webhook URL</label>
        {/* Every account has one: named by its account, as its card is. */}
        <input id={`cw-hook-${account.id}`} aria-label={`Webhook URL of ${account.name}`} readOnly value={account.webhookUrl} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="small" aria-label={`Copy the webhook URL of ${account.name}`} onClick={() => void navigator.clipboard.writeText(account.webhookUrl)}>Copy webhook URL</button>
        <p className="hint">In Chatwoot: Settings → Integrations → Webhooks → Add new webhook, paste this URL and tick: {CHATWOOT_WEBHOOK_EVENTS.join(', ')}.</p>
      </div>
      <ChatwootAddressForm account={account} />
      <ChatwootSecretForm account={account} field="webhookSecret" />
      <ChatwootSecretForm account={account} field="apiAccessToken" />
      <p role="status">Last synced: {when(account.lastSyncedAt)}{sync.data ? ` — ${sync.data.conversations} conversations checked, ${sync.data.repaired} changes repaired` : ''}</p>
      {sync.data?.notes?.length ? <ul className="hint" aria-label="Sync notes">{sync.data.notes.map((n) => <li key={n}>{n}</li>)}</ul> : null}
      {account.lastError && <p className="error" role="alert">{account.lastError}</p>}
      {sync.error && !account.lastError && <p className="error" role="alert">{errorMessage(sync.error)}</p>}
      <button type="button" aria-label={`Sync ${account.name} now`} onClick={() => sync.mutate()} disabled={sync.isPending}>{sync.isPending ? 'Syncing…' : 'Sync now'}</button>{' '}
      <button type="button" className="danger" aria-label={`Disconnect ${account.name}`} onClick={() => { if (window.confirm(`Disconnect ${account.name}? ${DISCONNECT_WARNING}`)) remove.mutate(); }}>Disconnect</button>
      {remove.error && <p className="error" role="alert">{errorMessage(remove.error)}</p>}
    </article>
  );
}

/** Chatwoot accounts: connect, copy the webhook URL, see when it last synced, sync now. */
export function ChatwootSettings() {
  const accounts = useQuery({ queryKey: chatwootKeys.accounts, queryFn: () => request(ChatwootAccountList, 'GET', '/chatwoot/accounts') });
  const [disconnected, setDisconnected] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="chatwoot-h">
      <h3 id="chatwoot-h">Chatwoot</h3>
      {accounts.error && <p className="error" role="alert">{errorMessage(accounts.error)}</p>}
      {disconnected && <p className="notice" role="status">{disconnected}</p>}
      {accounts.data?.accounts.map((a) => <AccountCard key={a.id} account={a} onDisconnected={setDisconnected} />)}
      <ChatwootConnectForm />
    </section>
  );
}
