import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ADAPTERS, ADAPTER_KINDS, isAdapterKind, type AdapterKind } from '../../lib/extension/adapters/registry';
import { errorMessage } from './api';
import { addInboxOrigin, listInboxOrigins, normalizeOrigin, removeInboxOrigin } from './inbox-origins';

const KEY = ['inbox-origins'];
// As Channels' Disconnect asks: one stray click takes the launcher off that inbox in this browser,
// and adding it back asks for the browser's permission again.
const removeQuestion = (origin: string) => `Remove ${origin}? The launcher no longer appears in that inbox, `
  + 'and the browser’s permission to run there is given back. To use it there again, add the address again.';

/** Other inboxes the launcher should appear in, beyond the companion's own, each with its adapter. */
export function InboxOriginsSettings() {
  const id = useId();
  const client = useQueryClient();
  const origins = useQuery({ queryKey: KEY, queryFn: listInboxOrigins });
  const [text, setText] = useState('');
  const [adapter, setAdapter] = useState<AdapterKind>('chatwoot');
  const [problem, setProblem] = useState<string>();
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const add = useMutation({ mutationFn: addInboxOrigin, onSuccess: () => { setText(''); void refresh(); } });
  const remove = useMutation({ mutationFn: removeInboxOrigin, onSuccess: () => void refresh() });
  const submit = () => {
    try {
      const origin = normalizeOrigin(text);
      setProblem(undefined);
      add.mutate({ origin, adapter });
    } catch (err) {
      setProblem(`Not a web address: ${errorMessage(err)}`);
    }
  };
  const error = problem ?? (add.error ? errorMessage(add.error) : remove.error ? errorMessage(remove.error) : undefined);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Inbox origins</h3>
      <p className="hint">
        The launcher runs in the companion’s own inbox. Add the address of another inbox and pick what it is
        (for Chatwoot, the address you open the dashboard at); the browser asks for permission.
      </p>
      <ul className="stack">
        {origins.data?.map((o) => (
          <li key={o.origin} className="row">
            <code>{o.origin}</code>
            <span className="badge" data-testid="origin-adapter">{ADAPTERS[o.adapter].label}</span>
            <button type="button" className="small danger" aria-label={`Remove ${o.origin}`} onClick={() => { if (window.confirm(removeQuestion(o.origin))) remove.mutate(o.origin); }}>Remove</button>
          </li>
        ))}
      </ul>
      <div className="row">
        <label htmlFor={id} className="sr-only">Inbox address</label>
        <input id={id} value={text} placeholder="https://chatwoot.example.com" onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } }} />
        <label htmlFor={`${id}-kind`} className="sr-only">Inbox type</label>
        <select id={`${id}-kind`} value={adapter} onChange={(e) => { if (isAdapterKind(e.target.value)) setAdapter(e.target.value); }}>
          {ADAPTER_KINDS.map((kind) => <option key={kind} value={kind}>{ADAPTERS[kind].label}</option>)}
        </select>
        <button type="button" onClick={submit} disabled={!text.trim() || add.isPending}>Add inbox</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
