import { useEffect, useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LifecycleStages } from '../../lib/contracts/contacts';
import { ApiFailure, errorMessage, request } from './api';
import { keys, useLifecycleStages } from './queries';

/** The ordered lifecycle stages contacts move through (the Update lifecycle stage step picks one). */
export function LifecycleStagesSettings() {
  const id = useId();
  const client = useQueryClient();
  const query = useLifecycleStages();
  const [list, setList] = useState<string[]>([]);
  const [text, setText] = useState('');
  useEffect(() => { if (query.data) setList(query.data.stages); }, [query.data]);
  const save = useMutation({
    mutationFn: (stages: string[]) => request(LifecycleStages, 'PUT', '/settings/lifecycle-stages', { stages }),
    onSuccess: (data) => client.setQueryData(keys.lifecycle, data),
  });
  const add = () => {
    const stage = text.trim();
    if (stage && !list.includes(stage)) setList([...list, stage]);
    setText('');
  };
  const move = (from: number, to: number) => {
    const next = [...list];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    setList(next);
  };
  const dirty = JSON.stringify(list) !== JSON.stringify(query.data?.stages ?? []);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Lifecycle stages</h3>
      <ol aria-label="Stages in order">
        {list.map((stage, i) => (
          <li key={stage}><bdi>{stage}</bdi>{' '}
            <button type="button" className="small" aria-label={`Move ${stage} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>↑</button>
            <button type="button" className="small" aria-label={`Move ${stage} down`} disabled={i === list.length - 1} onClick={() => move(i, i + 1)}>↓</button>
            <button type="button" className="small" aria-label={`Remove stage ${stage}`} onClick={() => setList(list.filter((x) => x !== stage))}>✕</button>
          </li>
        ))}
      </ol>
      {list.length === 0 && query.data && <p className="muted">No stages yet. Add them in the order contacts move through them (e.g. New lead, Customer); the Update lifecycle stage step picks one.</p>}
      <div className="row">
        <label htmlFor={id} className="sr-only">New stage</label>
        <input id={id} dir="auto" value={text} placeholder="New stage" onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
        <button type="button" onClick={add} disabled={!text.trim()}>Add stage</button>
        <button type="button" className="primary" disabled={!dirty || save.isPending} onClick={() => save.mutate(list)}>Save stages</button>
      </div>
      {save.isError && <p className="error" role="alert">{errorMessage(save.error)}{save.error instanceof ApiFailure ? ` ${save.error.details.map((d) => d.message).join(' ')}` : ''}</p>}
      {save.isSuccess && !dirty && <p className="hint" role="status">Saved.</p>}
    </section>
  );
}
