import { useEffect, useState } from 'react';
import { ContactList, type Contact } from '../../lib/contracts/contacts';

// What the options page's two contact searches share: the run history's contact filter
// (RunContactSearch) and the Contacts page's list (ContactSearch).

/** What a contact is called on the page: name, else phone, else email, else id. */
export const contactLabel = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.phone || c.email || c.id;

/**
 * A page of GET /contacts. `total` is read when the server sends it (null: a text search not
 * counted): a server one release older has none, and its pages still show (the extension updates
 * before a self-hosted server does).
 */
export const ContactPage = ContactList.extend({ total: ContactList.shape.total.optional() });

/** Typing pauses this long before a search is sent: one request per word, not per key. */
export const SEARCH_PAUSE_MS = 250;

/** `value`, once it has stayed the same for `ms`. */
export function useSettled<T>(value: T, ms = SEARCH_PAUSE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
