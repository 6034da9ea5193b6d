import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { request } from './api';
import { ContactPage, contactLabel, useSettled } from './contact-search';

/**
 * The run history's contact filter: a name, phone or email searched on the server (GET
 * /contacts?q=, as the inbox searches), and a pick narrows the table to that contact's runs.
 */
export function RunContactSearch({ onPick }: { onPick(id: string, label: string): void }) {
  const listId = useId();
  const [text, setText] = useState('');
  const q = useSettled(text.trim());
  const found = useQuery({
    queryKey: ['contacts', 'search', q], enabled: q.length > 0, staleTime: 30_000,
    queryFn: () => request(ContactPage, 'GET', `/contacts?${new URLSearchParams({ q, limit: '8' })}`),
  });
  const contacts = found.data?.contacts ?? [];
  return (
    <div className="contact-search">
      <label>Contact
        <input type="search" dir="auto" value={text} placeholder="Name, phone or email" aria-controls={listId} onChange={(e) => setText(e.target.value)} />
      </label>
      {q && found.isSuccess && (
        <ul id={listId} className="contact-results" aria-label="Contacts found">
          {contacts.length === 0 && <li className="muted">No contact matches “{q}”.</li>}
          {contacts.map((c) => (
            <li key={c.id}>
              <button type="button" className="link" onClick={() => { setText(''); onPick(c.id, contactLabel(c)); }}>
                {contactLabel(c)}{c.phone && contactLabel(c) !== c.phone ? <span className="muted"> {c.phone}</span> : null}
                {c.email && contactLabel(c) !== c.email ? <span className="muted"> {c.email}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
