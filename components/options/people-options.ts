import { nameWith, sharedNames } from '../../lib/workflow/name-order';
import { byReaderName, readerCollator } from './reader-order';

type Detail = string | null | undefined | false;

/**
 * People as a picker lists them: by name, each labelled so that two of one name can be told
 * apart (Chatwoot's agent lists show the email): `details` gets the email when another one listed
 * shares the name, null otherwise, and says what the label adds ("Sam Lee (agent, sam@example.com)").
 */
export function peopleOptions<T extends { id: string; name: string; email: string }>(
  people: readonly T[], details: (person: T, email: string | null) => readonly Detail[] = (_p, email) => [email],
): { person: T; label: string }[] {
  const sorted = [...people].sort(byReaderName);
  const shared = sharedNames(sorted, readerCollator);
  return sorted.map((person) => ({ person, label: nameWith(person.name, details(person, shared.has(person.id) ? person.email : null)) }));
}
