import { onceSkippedNote } from '../engine/dispatch/dispatcher';

const ONCE_SKIPPED = onceSkippedNote([]);

/**
 * An event's note as the webhook's sender reads it in its 202. The stored note names our
 * workflow and contact ids for the admin (events, the run log); the sender is outside and gets
 * the same reason without them. Other notes (no contact with that phone) hold only what it sent.
 */
export function senderNote(note: string): string {
  if (!note.startsWith(ONCE_SKIPPED)) return note;
  const count = note.slice(ONCE_SKIPPED.length).split(', ').length;
  return count === 1
    ? 'once per contact: the contact was already enrolled in this workflow, so it did not start again'
    : `once per contact: ${count} contacts were already enrolled in this workflow, so it did not start again for them`;
}
