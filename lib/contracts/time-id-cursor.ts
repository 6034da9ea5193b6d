/** Where a page ends: a row's time and id (rows of the same time go by id). */
export interface TimeIdCursor { at: string; id: string }

/** A timestamp as the server writes them (ISO 8601, an offset or Z). */
const TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})`;

/**
 * The `<time>~<id>` cursor of a list ordered by a time (GET /conversations by last activity,
 * GET /conversations/:id/messages by when each was written), for ids matching `idPattern` (a
 * regular expression's source, its prefix first). `decode` is null for a cursor the server could
 * not have given (decodedCursor refuses it with a 422).
 */
export function timeIdCursor(idPattern: string) {
  const shape = new RegExp(`^(${TIME})~(${idPattern})$`);
  return {
    encode: (c: TimeIdCursor): string => `${c.at}~${c.id}`,
    decode(cursor: string): TimeIdCursor | null {
      const match = shape.exec(cursor);
      return match ? { at: match[1]!, id: match[2]! } : null;
    },
  };
}
