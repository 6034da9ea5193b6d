import { z } from 'zod';

// What every list's query string shares (contacts, runs, conversations, deliveries, workflows):
// a parameter the list does not take, or a cursor it never gave, is a 422 that says so. Ignored,
// a typo (`?emial=`, respond.io's `?workflow_id=`) answered the whole list, and an unknown cursor
// an empty page a sync job took for "done".

const CURSOR_HINT = 'Pass the `nextCursor` of the page before, as it was answered';

/**
 * A list's query (or, `what` said, another route's: "this route"): strict, and the 422 names the
 * parameters it takes, then `hint` when given.
 */
export function listQuery<S extends z.ZodRawShape>(shape: S, what = 'this list', hint = '') {
  const takes = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys'
      ? `Unknown query parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}: ${what} takes ${takes.length ? takes.join(', ') : 'none'}${hint}`
      : undefined),
  });
}

/** `limit`: a whole number in [1, max], said so when it is not ("abc", "0", a repeated `limit`). */
export const pageLimit = (fallback: number, max = 200) => {
  const hint = `Give limit as a whole number from 1 to ${max}`;
  return z.coerce.number({ error: hint }).int(hint).min(1, hint).max(max, hint).default(fallback);
};

/** The ids the server makes (server/ids.ts): the prefix, then a ULID. */
const ulidOf = (prefix: string) => new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`);

/**
 * A cursor that is the id of a page's last row: exactly an id of that kind, so a made-up or cut
 * one ("con_zzzz") is refused instead of answering an empty page or the first page again. An id
 * deleted since it was given still pages on (the list goes by id, not by the row).
 */
export const idCursor = (prefix: string) => z.string().max(100).regex(ulidOf(prefix), CURSOR_HINT);

/** A cursor of another shape (conversations': `<time>~<id>`): `decode` tells whether the server could have given it. */
export const decodedCursor = (decode: (cursor: string) => unknown, max = 200) => z.string().max(max).refine((c) => decode(c) !== null, CURSOR_HINT);

/**
 * Every other GET under /api/v1 that declares no query (server/http/no-query.ts): a parameter is
 * refused, not ignored, so `GET /users?role=agent` or `/apps?limit=5` never seem to filter.
 */
export const NoQuery = listQuery({}, 'this route');

/**
 * A POST, PUT or PATCH under /api/v1 that declares no query: `POST /contacts?firstName=Ana` made
 * a contact without the name and said nothing. Its input goes in the body, and the 422 says so.
 */
export const NoQueryBesideBody = listQuery({}, 'this route', '; send its input as the JSON body');
