import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../events/recorder';
import { waitedOn } from './dispatcher';

const event = (type: string, source: string, depth = 0, waited = false) =>
  ({ type, source, depth, waited, id: 'evt_1', contactId: 'con_1', createdAt: '2026-12-05T10:00:00.000Z', payload: {} }) as unknown as RecordedEvent;

// Whose runs take the express lane: a person waiting (an agent's click, a customer's message),
// not machines, bulk changes or workflows.
describe('waitedOn', () => {
  it.each([
    ['an agent launches a shortcut', event('shortcut.launched', 'user'), true],
    ['a customer answers a Click-to-Chat ad', event('ad.clicked', 'click_to_chat_ads'), true],
    ['a customer opens a conversation by writing', event('conversation.opened', 'contact'), true],
    ['an ad opens the conversation', event('conversation.opened', 'click_to_chat_ads'), true],
    ['an agent opens a conversation', event('conversation.opened', 'user'), false],
    ['the API opens a conversation', event('conversation.opened', 'api'), false],
    ['a workflow opens one', event('conversation.opened', 'contact', 1), false],
    ['a workflow launches a shortcut-like event', event('shortcut.launched', 'user', 2), false],
    ['a tag is added', event('contact.tag_updated', 'user'), false],
    ['a conversation is closed', event('conversation.closed', 'contact'), false],
    ['a shortcut\'s run starts another workflow', event('workflow.started', 'workflow', 1, true), true],
    ['a shortcut\'s run adds a tag a workflow listens for', event('contact.tag_added', 'workflow', 1, true), true],
    ['a webhook\'s run starts another workflow', event('workflow.started', 'workflow', 1, false), false],
  ])('%s → %s', (_what, e, expected) => {
    expect(waitedOn(e)).toBe(expected);
  });
});
