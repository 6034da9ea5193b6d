// "Did you mean …?" for a mistyped name: the closest of a few known names.

/** Lowercase without `_` and `-`: `first_name`, `FirstName` and `firstname` read the same. */
const loose = (s: string) => s.toLowerCase().replace(/[_-]/g, '');

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, giving up above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known names `word` was most likely meant to be, best first (at most `limit`), or none:
 * the same name in another case or with `_`/`-` (`firstname`, `first_name` → `firstName`); else a
 * small edit distance (`fistName`, `emial`); else one holds the other (`name` → `firstName`,
 * `lastName`; `phone_number` → `phone`). `keyOf` gives the name to compare a candidate by.
 */
export function closestNames<T>(word: string, candidates: readonly T[], keyOf: (c: T) => string, limit = 2): T[] {
  const w = loose(word);
  if (w === '') return [];
  const same = candidates.filter((c) => loose(keyOf(c)) === w);
  if (same.length) return same.slice(0, limit);
  const max = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  const scored = candidates.map((c) => ({ c, d: distance(w, loose(keyOf(c)), max) })).filter((s) => s.d <= max);
  if (scored.length) {
    const best = Math.min(...scored.map((s) => s.d));
    return scored.filter((s) => s.d === best).map((s) => s.c).slice(0, limit);
  }
  return candidates.filter((c) => {
    const k = loose(keyOf(c));
    return (w.length >= 3 && k.includes(w)) || (k.length >= 3 && w.includes(k));
  }).slice(0, limit);
}
