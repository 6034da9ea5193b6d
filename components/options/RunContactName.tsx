import { useQuery } from '@tanstack/react-query';
import { Contact } from '../../lib/contracts/contacts';
import type { Run } from '../../lib/contracts/runs';
import { request } from './api';

/**
 * A run's contact by name (and phone) rather than id. The runs page names them (`run.contact`);
 * a server older than the extension does not, and only then is each contact asked for, as before.
 * The id while that loads, or when the contact is gone.
 */
function useContactLabel(run: Run) {
  const named = run.contact !== undefined;
  const asked = useQuery({
    queryKey: ['contacts', run.contactId], enabled: !named, staleTime: 60_000,
    queryFn: () => request(Contact, 'GET', `/contacts/${encodeURIComponent(run.contactId)}`),
  });
  const a = asked.data;
  const c = named ? run.contact : a && { name: [a.firstName, a.lastName].filter(Boolean).join(' ') || null, phone: a.phone, email: a.email };
  if (!c) return { name: null, phone: null };
  return { name: c.name || c.phone || c.email || run.contactId, phone: c.name && c.phone ? c.phone : null };
}

/** A run's contact; pressing it keeps only that contact's runs in the table. */
export function ContactName({ run, onPick }: { run: Run; onPick(id: string, label: string | null): void }) {
  const { name, phone } = useContactLabel(run);
  return (
    <button type="button" className="link contact-name" title={`Only ${name ?? run.contactId}'s runs`} onClick={() => onPick(run.contactId, name)}>
      {name ?? <span className="mono">{run.contactId}</span>}{phone ? <span className="muted"> {phone}</span> : null}
    </button>
  );
}
