import { useEffect, useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ClosingCategories } from '../../lib/contracts/conversations';
import { ApiFailure, errorMessage, request } from './api';
import { keys, useClosingCategories } from './queries';

/** The categories agents (and close steps) choose from when closing a conversation. */
export function ClosingCategoriesSettings() {
  const id = useId();
  const client = useQueryClient();
  const query = useClosingCategories();
  const [list, setList] = useState<string[]>([]);
  const [text, setText] = useState('');
  useEffect(() => { if (query.data) setList(query.data.categories); }, [query.data]);
  const save = useMutation({
    mutationFn: (categories: string[]) => request(ClosingCategories, 'PUT', '/settings/closing-categories', { categories }),
    onSuccess: (data) => client.setQueryData(keys.categories, data),
  });
  const add = () => {
    const c = text.trim();
    if (c && !list.includes(c)) setList([...list, c]);
    setText('');
  };
  const dirty = JSON.stringify(list) !== JSON.stringify(query.data?.categories ?? []);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Closing categories</h3>
      <ul className="chips">
        {list.map((c) => (
          <li key={c} className="chip"><bdi>{c}</bdi>
            <button type="button" aria-label={`Remove category ${c}`} onClick={() => setList(list.filter((x) => x !== c))}>✕</button>
          </li>
        ))}
      </ul>
      <div className="row">
        <label htmlFor={id} className="sr-only">New category</label>
        <input id={id} dir="auto" value={text} placeholder="New category" onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
        <button type="button" onClick={add} disabled={!text.trim()}>Add category</button>
        <button type="button" className="primary" disabled={!dirty || save.isPending} onClick={() => save.mutate(list)}>Save categories</button>
      </div>
      {save.isError && <p className="error" role="alert">{errorMessage(save.error)}{save.error instanceof ApiFailure ? ` ${save.error.details.map((d) => d.message).join(' ')}` : ''}</p>}
      {save.isSuccess && !dirty && <p className="hint" role="status">Saved.</p>}
    </section>
  );
}
