import { describe, expect, it } from 'vitest';
import { readAppContext } from './context';

// Chatwoot's Frame.vue posts JSON.stringify({ event: 'appContext', data: { conversation, contact, currentAgent } }).
const parent = {};
const chatwoot = 'https://chat.example.com';
const context = (conversation: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({
  event: 'appContext',
  data: { conversation, contact: { id: 9, name: 'Maria <b>Garcia</b>' }, currentAgent: { id: 7, name: 'Alex Agent', email: 'alex@example.com' }, ...extra },
});

describe('Dashboard App context', () => {
  it('reads the conversation, its account and the Chatwoot origin', () => {
    const read = readAppContext({ data: context({ id: 42, account_id: 3, status: 'open', meta: { sender: { id: 9 } } }), origin: chatwoot, source: parent as never }, parent, '');
    expect(read).toEqual({ origin: chatwoot, accountId: '3', conversationId: '42', contactName: 'Maria <b>Garcia</b>', agentName: 'Alex Agent', agentEmail: 'alex@example.com' });
  });

  it.each([
    ['no email', { id: 7, name: 'Alex Agent' }],
    ['a blank email', { id: 7, name: 'Alex Agent', email: ' ' }],
    ['no currentAgent', null],
  ])('says no agent email when Chatwoot sends %s (the app then checks no identity)', (_what, currentAgent) => {
    const read = readAppContext({ data: context({ id: 42, account_id: 3 }, { currentAgent }), origin: chatwoot, source: parent as never }, parent, '');
    expect(read?.agentEmail).toBeNull();
  });

  it('takes the account from the dashboard URL when the conversation lacks it', () => {
    const read = readAppContext({ data: context({ id: 42 }), origin: chatwoot, source: parent as never }, parent, `${chatwoot}/app/accounts/5/conversations/42`);
    expect(read?.accountId).toBe('5');
  });

  it.each([
    ['another window', { data: context({ id: 42, account_id: 1 }), origin: chatwoot, source: {} as never }, ''],
    ['an object instead of a JSON string', { data: { event: 'appContext' }, origin: chatwoot, source: parent as never }, ''],
    ['malformed JSON', { data: '{"event":', origin: chatwoot, source: parent as never }, ''],
    ['another event', { data: JSON.stringify({ event: 'other', data: {} }), origin: chatwoot, source: parent as never }, ''],
    ['no conversation id', { data: context({ account_id: 1 }), origin: chatwoot, source: parent as never }, ''],
    ['no account anywhere', { data: context({ id: 42 }), origin: chatwoot, source: parent as never }, `${chatwoot}/app/settings`],
  ])('ignores %s', (_what, event, referrer) => {
    expect(readAppContext(event, parent, referrer)).toBeNull();
  });
});
