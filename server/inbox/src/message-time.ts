import { fullTime, h } from './dom.js';
import type { Message } from './wire.js';

// The time on a message's bubble. A customer's message through WhatsApp / Messenger shows when
// they sent it (Meta's clock, sentAt), as their phone does; when it reached us much later (Meta
// redelivers for days after an outage) a quiet "arrived 08:18" says so. The day separators above
// follow where the message sits in the thread (threadAt, else createdAt), so a bubble whose send
// day is not its separator's says its date too.

/** Later than this after it was sent, a message says when it arrived. */
const ARRIVED_LATE_MS = 60_000;

const clockFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayClockFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Where the message sits in the thread: what its day separator is by. */
export const placedAt = (m: Message): string => m.threadAt ?? m.createdAt;

/** When it was said: the customer's send time, a Resend's time, else when it was written here. */
export const saidAt = (m: Message): string => m.sentAt ?? m.threadAt ?? m.createdAt;

const sameDay = (a: string, b: string) => new Date(a).toDateString() === new Date(b).toDateString();
/** 08:18 on the day `day` is; Dec 5, 07:18 PM on another. */
const clock = (iso: string, day: string) => (sameDay(iso, day) ? clockFmt : dayClockFmt).format(new Date(iso));

/** "edited", as Chatwoot and respond.io mark a message its writer changed; when, and what it said before, on hover. */
export function editedMark(m: Message): HTMLElement | null {
  if (!m.edited) return null;
  const before = m.edited.previous.map((p) => `“${p.text}”`).join(', then ');
  return h('span', { class: 'edited', 'data-testid': 'message-edited', title: `Edited ${fullTime(m.edited.at)}${before ? `; before: ${before}` : ''}`, text: 'edited' });
}

/** The bubble's time, and "arrived …" after it when the message came in late. */
export function messageTimes(m: Message): HTMLElement[] {
  const said = saidAt(m);
  const day = placedAt(m);
  const time = h('time', { datetime: said, title: m.sentAt ? `Sent ${fullTime(said)}` : fullTime(said), text: clock(said, day) });
  if (!m.sentAt || Date.parse(m.createdAt) - Date.parse(m.sentAt) <= ARRIVED_LATE_MS) return [time];
  return [time, h('span', { class: 'arrived', 'data-testid': 'message-arrived', title: `Reached the inbox ${fullTime(m.createdAt)}`, text: `arrived ${clock(m.createdAt, day)}` })];
}
