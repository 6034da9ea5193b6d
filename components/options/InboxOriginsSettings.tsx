import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from './api';
import { addInboxOrigin, listInboxOrigins, normalizeOrigin, removeInboxOrigin } from './inbox-origins';

const KEY = ['inbox-origins'];

/** Other inboxes the launcher should appear in, beyond the companion's own. */
export function InboxOriginsSettings() {
  const id = useId();
  const client = useQueryClient();
  const origins = useQuery({ queryKey: KEY, queryFn: listInboxOrigins });
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const add = useMutation({ mutationFn: addInboxOrigin, onSuccess: () => { setText(''); void refresh(); } });
  const remove = useMutation({ mutationFn: removeInboxOrigin, onSuccess: () => void refresh() });
  const submit = () => {
    try {
      const origin = normalizeOrigin(text);
      setProblem(undefined);
      add.mutate(origin);
    } catch (err) {
      setProblem(`Not a web address: ${errorMessage(err)}`);
    }
  };
  const error = problem ?? (add.error ? errorMessage(add.error) : remove.error ? errorMessage(remove.error) : undefined);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Inbox origins</h3>
      <p className="hint">The launcher runs in the companion’s own inbox. Add other inbox addresses here; the browser asks for permission.</p>
      <ul className="stack">
        {origins.data?.map((o) => (
          <li key={o} className="row">
            <code>{o}</code>
            <button type="button" className="small danger" aria-label={`Remove ${o}`} onClick={() => remove.mutate(o)}>Remove</button>
          </li>
        ))}
      </ul>
      <div className="row">
        <label htmlFor={id} className="sr-only">Inbox address</label>
        <input id={id} value={text} placeholder="https://inbox.example.com" onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } }} />
        <button type="button" onClick={submit} disabled={!text.trim() || add.isPending}>Add inbox</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
