import { stampSeconds } from './payloads';

/** Chatwoot's clock may run a little ahead of this one (the signature check allows as much). */
const AHEAD_MS = 5 * 60_000;
const EARLIEST_MS = Date.UTC(2000, 0, 1);

/**
 * When a Chatwoot message was written, by Chatwoot's clock, as the thread stores times (ISO 8601
 * UTC, as nowIso): the thread and the inbox list then show Chatwoot's order and times, and a
 * delivery that comes late (after a newer message's) still sorts by its own time. The webhook's
 * message has an ISO string (Message#webhook_data, app/models/message.rb: "2025-12-30T10:14:58.401Z";
 * Chatwoot's webhook guide shows "2020-03-03 13:05:57 UTC",
 * https://www.chatwoot.com/hc/user-guide/articles/1677693021-how-to-use-webhooks), the
 * conversation's embedded message and REST answers Unix seconds (push_event_data): the first of
 * `candidates` that reads as a time is taken. Undefined when none does, or when it is not to be
 * believed (more than 5 minutes ahead, or before 2000): the caller keeps the time it arrived. A
 * time a little ahead is now, so what is written here next still comes after it.
 */
export function chatwootMessageTime(candidates: readonly unknown[], now = Date.now()): string | undefined {
  for (const candidate of candidates) {
    const seconds = stampSeconds(candidate);
    if (seconds === null) continue;
    const ms = Math.round(seconds * 1000);
    if (!(ms >= EARLIEST_MS && ms <= now + AHEAD_MS)) return undefined;
    return new Date(Math.min(ms, now)).toISOString();
  }
  return undefined;
}
