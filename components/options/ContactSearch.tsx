import { useId, useRef, useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { z } from 'zod';
import type { Contact } from '../../lib/contracts/contacts';
import { ConversationListItem } from '../../lib/contracts/conversations';
import { errorMessage, request } from './api';
import { ContactPage, contactLabel, useSettled } from './contact-search';
import { useFields } from './queries';
import { LoadMoreButton } from './LoadMoreButton';

const PAGE = 50;

/** GET /contacts with the page's filters: a field filters only once it has a value to find. */
export function contactsPath(filter: { q: string; field: string; value: string }, cursor?: string): string {
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (filter.q) query.set('q', filter.q);
  if (filter.field && filter.value) {
    query.set('field', filter.field);
    query.set('value', filter.value);
  }
  if (cursor) query.set('cursor', cursor);
  return `/contacts?${query}`;
}

/**
 * The Contacts page's list (admins and supervisors, as respond.io's and Chatwoot's contacts
 * pages): every contact, or those a name, phone or email search and a custom field's value find,
 * with how many match, 50 at a time, each opening its latest conversation in the inbox.
 */
export function ContactSearch({ serverUrl }: { serverUrl: string }) {
  const headingId = useId();
  const fields = useFields();
  const [text, setText] = useState('');
  const [field, setField] = useState('');
  const [value, setValue] = useState('');
  const filter = { q: useSettled(text.trim()), field, value: useSettled(value.trim()) };
  const queryKey = ['contacts', 'list', filter];
  const contacts = useInfiniteQuery({
    queryKey,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => request(ContactPage, 'GET', contactsPath(filter, pageParam)),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // The list stays while the next search runs, instead of blinking out at each word.
    placeholderData: keepPreviousData,
  });
  const list = contacts.data?.pages.flatMap((p) => p.contacts) ?? [];
  const total = contacts.data?.pages[0]?.total;
  const table = useRef<HTMLTableElement>(null);
  return (
    <section className="panel contact-list" aria-labelledby={headingId}>
      <h3 id={headingId}>Find contacts</h3>
      <div className="run-filters" role="search" aria-label="Find contacts">
        <label>Search
          <input type="search" dir="auto" value={text} placeholder="Name, phone or email" onChange={(e) => setText(e.target.value)} />
        </label>
        <label>Custom field
          <select value={field} onChange={(e) => setField(e.target.value)}>
            <option value="">Any</option>
            {(fields.data?.fields ?? []).map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
          </select>
        </label>
        <label>Value
          <input type="search" dir="auto" value={value} disabled={!field} placeholder={field ? 'Exactly this value' : 'Choose a field first'} onChange={(e) => setValue(e.target.value)} />
        </label>
      </div>
      {contacts.isError && <p className="error" role="alert">{errorMessage(contacts.error)}</p>}
      {contacts.isSuccess && (
        <p role="status" className="muted">{list.length === 0 ? 'No contact matches.' : countText(list.length, total, contacts.hasNextPage)}</p>
      )}
      {list.length > 0 && (
        // A narrow screen scrolls the table in its box, not the page (WCAG 1.4.10).
        <div className="table-wrap">
        <table ref={table} className="table" aria-label="Contacts">
          <thead><tr><th>Name</th><th>Phone</th><th>Email</th><th>Tags</th><th /></tr></thead>
          <tbody>
            {list.map((c) => (
              // Focusable from script only: "Load more contacts" takes the keyboard to the first row it added.
              <tr key={c.id} data-contact-id={c.id} tabIndex={-1}>
                <td dir="auto">{[c.firstName, c.lastName].filter(Boolean).join(' ') || <span className="muted">No name</span>}</td>
                <td>{c.phone ?? ''}</td>
                <td>{c.email ?? ''}</td>
                <td dir="auto">{c.tags.join(', ')}</td>
                <td className="actions"><OpenConversation contact={c} serverUrl={serverUrl} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <LoadMoreButton list={contacts} queryKey={queryKey} keys={list.map((c) => c.id)} label="Load more contacts"
        focusRow={(at) => table.current?.querySelectorAll<HTMLElement>('tbody > tr[data-contact-id]')[at]?.focus()} />
    </section>
  );
}

const count = (n: number) => n.toLocaleString('en-US');
/**
 * "1,234 contacts", "Showing 50 of 1,234 contacts". Without a total (a search by name, phone or
 * email with more matches than a page is not counted; an older server sends none), what is shown.
 */
function countText(shown: number, total: number | null | undefined, more: boolean) {
  const noun = (n: number) => (n === 1 ? 'contact' : 'contacts');
  if (total === null || total === undefined) return more ? `Showing ${count(shown)} ${noun(shown)}; more match` : `${count(shown)} ${noun(shown)}`;
  return shown < total ? `Showing ${count(shown)} of ${count(total)} ${noun(total)}` : `${count(total)} ${noun(total)}`;
}

/** GET /conversations?contactId=: the contact's latest conversation, open or closed (only its id is used). */
const Latest = z.object({ conversations: z.array(ConversationListItem.pick({ id: true })) });

/**
 * Opens the contact's latest conversation in the server's inbox (a new tab). Asked when pressed,
 * not for every row: a page of 50 would be 50 requests. No conversation yet says so in the row.
 */
function OpenConversation({ contact, serverUrl }: { contact: Contact; serverUrl: string }) {
  const [state, setState] = useState<{ kind: 'idle' | 'looking' | 'none' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  if (state.kind === 'none') return <span className="muted">No conversation yet</span>;
  const open = async () => {
    setState({ kind: 'looking' });
    try {
      const latest = await request(Latest, 'GET', `/conversations?${new URLSearchParams({ contactId: contact.id, limit: '1' })}`);
      const id = latest.conversations[0]?.id;
      if (!id) return setState({ kind: 'none' });
      window.open(`${serverUrl.replace(/\/+$/, '')}/inbox/c/${encodeURIComponent(id)}`, '_blank', 'noopener');
      setState({ kind: 'idle' });
    } catch (err) {
      setState({ kind: 'error', message: errorMessage(err) });
    }
  };
  return (
    <>
      {state.kind === 'error' && <span className="error" role="alert">{state.message} </span>}
      {/* aria-disabled, not disabled: a disabled button drops the keyboard's focus while it asks. */}
      <button type="button" className="small" aria-disabled={state.kind === 'looking'} aria-label={`Open ${contactLabel(contact)}'s conversation in the inbox`} onClick={() => { if (state.kind !== 'looking') void open(); }}>
        Open conversation
      </button>
    </>
  );
}
