/**
 * The one order of names in lists (workflows, shortcuts, people): as the reader's language sorts
 * them, any case or accent ("alpha" beside "Alpha", "Émile" beside "Emile"), numbers by value
 * ("Flow 2" before "Flow 10"), as respond.io's and n8n's lists read. The options page sorts with
 * the browser's languages (`navigator.languages`), which the browser also sends as
 * Accept-Language, and the server pages GET /workflows with those: the list and the pickers agree.
 */

/** The tags Intl can use; an invalid or wildcard one ("*", from a client that sends any) is left out. */
function usable(locales: readonly string[]): string[] {
  return locales.filter((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  });
}

/** Compares names in that order; `locales` first to last, the runtime's own when none is usable. */
export function nameCollator(locales: readonly string[] = []): Intl.Collator {
  const tags = usable(locales);
  return new Intl.Collator(tags.length ? tags : undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * Rows by name, then id: names equal in that order ("Refund", "refund") keep one order, so a
 * page's cursor (its last name and id) starts the next page exactly after it.
 */
export const byName = (collator: Intl.Collator) => (a: { name: string; id: string }, b: { name: string; id: string }) =>
  collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The ids of those whose name another one in `rows` has too, in that order ("Sam Lee", "sam lee"). */
export function sharedNames(rows: readonly { name: string; id: string }[], collator: Intl.Collator): Set<string> {
  const shared = new Set<string>();
  const sorted = [...rows].sort(byName(collator));
  sorted.forEach((row, i) => {
    const next = sorted[i + 1];
    if (next && collator.compare(row.name, next.name) === 0) shared.add(row.id).add(next.id);
  });
  return shared;
}

/** "Sam Lee (sam@example.com, you)": a name and what else is said of it, the empty parts left out. */
export const nameWith = (name: string, details: readonly (string | null | undefined | false)[]) => {
  const said = details.filter((d): d is string => !!d);
  return said.length ? `${name} (${said.join(', ')})` : name;
};
