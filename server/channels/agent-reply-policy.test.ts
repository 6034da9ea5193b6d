import { describe, expect, it } from 'vitest';
import type { ChannelWindow } from '../../lib/contracts/channels';
import { agoText, planAgentReply } from './agent-reply-policy';
import type { SendSpec } from './send-spec';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
const win = (kind: 'whatsapp' | 'messenger', lastHoursAgo: number | null): ChannelWindow => ({
  kind, open: lastHoursAgo !== null && lastHoursAgo < 24, closesAt: null, note: null, lastIncomingAt: lastHoursAgo === null ? null : hoursAgo(lastHoursAgo),
});
const text: SendSpec = { kind: 'text', text: 'Hi' };
const template: SendSpec = { kind: 'template', text: '', template: { name: 'order_ready', language: 'en_US', parameters: [] } };
const person = { human: true };
const bot = { human: false };

describe('planAgentReply', () => {
  it.each([
    ['WhatsApp, window open: text as is', 'whatsapp', text, 2, person, { spec: text }],
    ['WhatsApp, closed: a template as is', 'whatsapp', template, 30, person, { spec: template }],
    ['WhatsApp, closed: text refused, hours', 'whatsapp', text, 30, person, { error: 'The customer last wrote 30 hours ago, so the 24-hour window is closed: WhatsApp allows only a template now. Pick one under Templates.' }],
    ['WhatsApp, closed: text refused, days', 'whatsapp', text, 75, person, { error: 'The customer last wrote 3 days ago, so the 24-hour window is closed: WhatsApp allows only a template now. Pick one under Templates.' }],
    ['WhatsApp, never wrote', 'whatsapp', text, null, person, { error: 'The customer has not written on WhatsApp yet: WhatsApp allows only a template until they do. Pick one under Templates.' }],
    ['Messenger, open: RESPONSE as is', 'messenger', text, 2, bot, { spec: text }],
    ['Messenger, a template', 'messenger', template, 2, person, { error: 'Templates are WhatsApp’s: on Messenger, write your reply as text.' }],
    ['Messenger, 30 h, a person: HUMAN_AGENT', 'messenger', text, 30, person, { spec: { ...text, messenger: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } } }],
    ['Messenger, 6 days 23 h, a person: HUMAN_AGENT', 'messenger', text, 7 * 24 - 1, person, { spec: { ...text, messenger: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } } }],
    ['Messenger, 30 h, a bot', 'messenger', text, 30, bot, { error: 'The customer last wrote 30 hours ago: after 24 hours Messenger takes only a reply a person writes (the Human Agent tag), which Meta does not allow for bots or automated replies.' }],
    ['Messenger, exactly 7 days', 'messenger', text, 7 * 24, person, { error: 'The customer last wrote 7 days ago: Messenger allows a reply after 24 hours only up to 7 days after the customer’s last message. It can be sent once they write again.' }],
    ['Messenger, never wrote', 'messenger', text, null, person, { error: 'The customer has not written on Messenger yet: a Page can only answer a person who wrote to it.' }],
  ] as const)('%s', (_what, kind, spec, last, replier, expected) => {
    expect(planAgentReply(kind, spec, win(kind, last), replier, NOW)).toMatchObject(expected);
  });

  it.each([[25, '25 hours ago'], [1, '1 hour ago'], [47, '47 hours ago'], [48, '2 days ago'], [200, '8 days ago']])('%s hours read "%s"', (h, words) => {
    expect(agoText(hoursAgo(h), NOW)).toBe(words);
  });
});
