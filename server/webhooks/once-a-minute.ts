/**
 * True the first time a key is seen in a clock minute: a warning about a misconfigured
 * subscription (a number not connected here) is logged once a minute per number, not once per
 * message of a busy number. Keys of earlier minutes are dropped as the map grows.
 */
export function oncePerMinute(now: () => number = Date.now): (key: string) => boolean {
  const seen = new Map<string, number>();
  return (key) => {
    const minute = Math.floor(now() / 60_000);
    if (seen.get(key) === minute) return false;
    if (seen.size >= 1000) for (const [k, m] of seen) if (m !== minute) seen.delete(k);
    seen.set(key, minute);
    return true;
  };
}
