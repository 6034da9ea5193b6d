import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../lib/contracts/events';
import type { TriggerInput } from '../../../lib/contracts/triggers';
import { makeTrigger } from '../../../lib/contracts/workflow.fixtures';
import { triggerAccepts, triggerMatchOf } from './event-triggers';

// Conversation Opened/Closed rules on where the conversation lives: its channel and Chatwoot inbox.
const place = { channelType: 'whatsapp', inboxName: 'WhatsApp Support' };
const opened = (facts: object = place): DomainEvent & { source: string } => ({
  type: 'conversation.opened', source: 'contact', payload: { contactId: 'con_1', conversationId: 'cnv_1', firstIncomingMessage: 'hi', channel: 'chatwoot', ...facts },
});
const closed = (facts: object = place): DomainEvent & { source: string } => ({
  type: 'conversation.closed', source: 'user',
  payload: { contactId: 'con_1', conversationId: 'cnv_1', category: null, summary: null, reason: null, resolutionTimeSeconds: 5, firstResponseTimeSeconds: null, channel: 'chatwoot', ...facts },
});
const on = (type: 'conversation_opened' | 'conversation_closed', logic: 'and' | 'or', ...rules: [string, 'is' | 'is_not', string][]) =>
  ({ type, conditions: { logic, rules: rules.map(([field, operator, value]) => ({ field, operator, value })) } }) as TriggerInput;

describe('channel and inbox rules of the conversation triggers', () => {
  it.each<[string, TriggerInput, DomainEvent & { source: string }, boolean]>([
    ['opened on whatsapp', on('conversation_opened', 'and', ['channel', 'is', 'whatsapp']), opened(), true],
    ['opened on web (a WhatsApp one)', on('conversation_opened', 'and', ['channel', 'is', 'web']), opened(), false],
    ['opened in the inbox by name', on('conversation_opened', 'and', ['inbox', 'is', 'WhatsApp Support']), opened(), true],
    ['opened not in that inbox', on('conversation_opened', 'and', ['inbox', 'is_not', 'WhatsApp Support']), opened(), false],
    ['opened by the contact on whatsapp', on('conversation_opened', 'and', ['source', 'is', 'contact'], ['channel', 'is', 'whatsapp']), opened(), true],
    ['opened in the built-in inbox, channel inbox', on('conversation_opened', 'and', ['channel', 'is', 'inbox']), opened({ channelType: 'inbox', inboxName: null }), true],
    ['an event from before the channel was kept', on('conversation_opened', 'and', ['channel', 'is', 'whatsapp']), opened({}), false],
    ['closed in email or web', on('conversation_closed', 'or', ['channel', 'is', 'email'], ['channel', 'is', 'web']), closed({ channelType: 'web', inboxName: 'Website' }), true],
    ['closed in another inbox', on('conversation_closed', 'and', ['inbox', 'is', 'Website']), closed(), false],
  ])('%s', (_, trigger, event, expected) => {
    const match = triggerMatchOf(event)!;
    expect(triggerAccepts(makeTrigger(trigger), match)).toBe(expected);
  });
});
