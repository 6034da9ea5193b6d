import type { SearchMatch } from '../../lib/contracts/conversations';
import { searchFold } from '../store/contains-text';
import type { Executor } from '../store/database';

/** Characters of context a snippet keeps before the match, and its whole length: one line of a 320 px row or two. */
const BEFORE = 30;
const LENGTH = 120;

/**
 * The messages a search page found (conversation-search.ts `hits`), by id, each as the row's
 * `match`: a page's worth at most, read by primary key.
 */
export async function searchMatches(db: Executor, ids: (string | null | undefined)[], q: string): Promise<Map<string, SearchMatch>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('messages').select(['id', 'kind', 'text', 'created_at']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, {
    messageId: r.id, kind: r.kind === 'comment' ? 'comment' : 'message', createdAt: r.created_at, snippet: snippetOf(r.text ?? '', q),
  } satisfies SearchMatch]));
}

/**
 * Plain text around the first place `q` is in `text` (any case, as the search matched it), on
 * one line, "…" where it was cut. Counted in code points, so an emoji is never cut in half. The
 * page shows it as text: a message's "<b>" stays "<b>".
 */
export function snippetOf(text: string, q: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  const folded = chars.map((c) => searchFold(c));
  const needle = searchFold(q.replace(/\s+/g, ' ').trim());
  // Where the match starts, in characters: a fold may change a character's length ("İ"), so each
  // character's offset in the folded text is kept.
  const offsets: number[] = [];
  let length = 0;
  for (const f of folded) { offsets.push(length); length += f.length; }
  const found = folded.join('').indexOf(needle);
  let at = 0;
  while (found > 0 && at + 1 < offsets.length && offsets[at + 1]! <= found) at++;
  const start = Math.max(0, Math.min(at - BEFORE, chars.length - LENGTH));
  const end = Math.min(chars.length, start + LENGTH);
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
}
