import { Fragment, useState, type ChangeEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Channel, ChannelList, type ChannelKind, type ConnectChannelBody } from '../../lib/contracts/channels';
import { ApiFailure, errorMessage, NoBody, refusalMessage, request } from './api';
import { keys } from './queries';
import { placeDetails } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { SecretInput } from './SecretInput';
import { ChannelEditForm, type ChannelEditField } from './ChannelEditForm';

const FIELDS: Record<ChannelKind, readonly (readonly [string, string, string?])[]> = {
  whatsapp: [
    ['name', 'Name'], ['phoneNumberId', 'Phone number ID', 'WhatsApp Manager → Phone numbers, or the app’s WhatsApp → API Setup'],
    ['businessAccountId', 'WhatsApp Business Account ID', 'The account that holds the number: the app’s WhatsApp → API Setup, or Business settings → Accounts → WhatsApp accounts'],
    ['accessToken', 'Access token', 'A System User token with whatsapp_business_messaging and whatsapp_business_management'],
  ],
  messenger: [
    ['name', 'Name'], ['pageId', 'Page ID'], ['pageAccessToken', 'Page access token', 'With pages_messaging; a long-lived token does not expire'],
  ],
};
// Disconnecting forgets the token (never shown again) and leaves the channel's conversations
// unanswerable until it is connected again: one stray click must not do that.
const disconnectQuestion = (name: string) => `Disconnect ${name}? Its token is forgotten, messages customers send to it are no longer received, `
  + 'and replies and workflow messages on its conversations fail until it is connected again with a token. To change only the token, use Replace token.';
const INPUTS = ['name', 'phoneNumberId', 'businessAccountId', 'accessToken', 'pageId', 'pageAccessToken'] as const;
const refusal = (err: unknown) => placeDetails(err instanceof ApiFailure ? err.details : [], INPUTS);

/** WhatsApp numbers and Facebook Pages messages go out and come in through. */
export function ChannelsSettings() {
  const client = useQueryClient();
  const channels = useQuery({ queryKey: keys.channels, queryFn: () => request(ChannelList, 'GET', '/channels') });
  const [kind, setKind] = useState<ChannelKind>('whatsapp');
  const [editing, setEditing] = useState<{ id: string; field: ChannelEditField } | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const connect = useMutation({
    mutationFn: (body: ConnectChannelBody) => request(Channel, 'POST', '/channels', body),
    onMutate: () => setServerErrors({}),
    onError: (err) => setServerErrors(refusal(err).placed),
    onSuccess: () => { setValues({}); void client.invalidateQueries({ queryKey: keys.channels }); },
  });
  const remove = useMutation({
    mutationFn: (id: string) => request(NoBody, 'DELETE', `/channels/${encodeURIComponent(id)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.channels }),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const fields = Object.fromEntries(FIELDS[kind].map(([key]) => [key, values[key] ?? '']));
    connect.mutate({ kind, ...fields } as ConnectChannelBody);
  };
  return (
    <section className="panel" aria-labelledby="channels-h">
      <h3 id="channels-h">Channels</h3>
      <p className="hint">Messages to and from these WhatsApp numbers and Facebook Pages go through Meta’s Graph API. Tokens are stored encrypted and never shown again.</p>
      <div className="table-wrap">
        <table className="table" aria-label="Channels">
          <thead><tr><th>Name</th><th>Channel</th><th>Account</th><th>Token</th><th>Status</th><th /></tr></thead>
          <tbody>
            {channels.data?.channels.map((c) => (
              <Fragment key={c.id}>
                <tr>
                  <td>{c.name} {c.displayName && <span className="muted">{c.displayName}</span>}</td>
                  <td>{c.kind === 'whatsapp' ? 'WhatsApp' : 'Messenger'}</td>
                  <td>{c.phoneNumberId ?? c.pageId}{c.businessAccountId && <span className="muted"> in WhatsApp Business Account {c.businessAccountId}</span>}</td>
                  <td>{c.tokenLastFour}</td>
                  <td>
                    {c.status === 'active' ? <span className="badge badge-completed">Active</span> : <span className="badge badge-failed">Needs attention</span>}
                    {c.lastError && <p className="error">{c.lastError}</p>}
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => setEditing({ id: c.id, field: 'accessToken' })} aria-label={`Replace the token of ${c.name}`}>Replace token</button>
                    {c.kind === 'whatsapp' && <button type="button" onClick={() => setEditing({ id: c.id, field: 'businessAccountId' })} aria-label={`Change the WhatsApp Business Account of ${c.name}`}>Change account ID</button>}
                    <button type="button" className="danger" onClick={() => { if (window.confirm(disconnectQuestion(c.name))) remove.mutate(c.id); }} aria-label={`Disconnect ${c.name}`}>Disconnect</button>
                  </td>
                </tr>
                {editing?.id === c.id && (
                  <tr className="details-row"><td colSpan={6}><ChannelEditForm key={editing.field} channel={c} field={editing.field} onDone={() => setEditing(null)} /></td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {channels.data?.channels.length === 0 && <p className="muted">No channel connected yet.</p>}
      {remove.error && <p className="error" role="alert">{errorMessage(remove.error)}</p>}
      <FormError message={connect.error ? refusalMessage(connect.error, refusal(connect.error).placed) : undefined} details={connect.error ? refusal(connect.error).rest : undefined} />
      <FieldErrorsContext.Provider value={serverErrors}>
        <form className="inline-form" noValidate onSubmit={submit} aria-label="Connect a channel">
          <Field label="Channel">
            {(p) => (
              <select {...p} aria-label="Channel to connect" value={kind} onChange={(e) => { setKind(e.target.value as ChannelKind); setServerErrors({}); }}>
                <option value="whatsapp">WhatsApp Cloud API number</option>
                <option value="messenger">Facebook Page (Messenger)</option>
              </select>
            )}
          </Field>
          {FIELDS[kind].map(([key, label, hint]) => (
            <Field key={`${kind}-${key}`} label={label} path={key} hint={hint}>
              {(p) => {
                // "Name" is also a user's and an ad's: named by the section ("Name of the new channel").
                const control = { ...p, 'aria-label': `${label} of the new channel`, value: values[key] ?? '', onChange: (e: ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value })) };
                return /token/i.test(key) ? <SecretInput {...control} what={`${label.toLowerCase()} of the new channel`} /> : <input {...control} autoComplete="off" />;
              }}
            </Field>
          ))}
          <button type="submit" disabled={connect.isPending}>{connect.isPending ? 'Checking with Meta…' : 'Connect'}</button>
        </form>
      </FieldErrorsContext.Provider>
      {connect.data && <div className="notice" role="status"><strong>{connect.data.name}</strong> is connected{connect.data.displayName ? ` (${connect.data.displayName})` : ''}.</div>}
    </section>
  );
}
