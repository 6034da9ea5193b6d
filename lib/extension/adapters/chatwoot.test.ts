import { describe, expect, it } from 'vitest';
import { chatwootAdapter, parseChatwootUrl } from './chatwoot';
import { adapterFor } from './registry';

// Chatwoot's conversation routes: app/javascript/dashboard/routes/dashboard/conversation/conversation.routes.js
// and routes/dashboard/inbox/routes.js (FACTS.md §3).
const base = 'https://chat.example.com';

describe('Chatwoot URLs', () => {
  it.each([
    ['/app/accounts/1/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/7/conversations/42/', { accountId: '7', conversationId: '42' }],
    ['/app/accounts/1/inbox/3/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/1/label/refund-request/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/1/team/5/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/1/custom_view/9/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/1/mentions/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/1/unattended/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/1/participating/conversations/42', { accountId: '1', conversationId: '42' }],
    ['/app/accounts/12/inbox-view/conversation/345', { accountId: '12', conversationId: '345' }],
    ['/chat/app/accounts/1/conversations/42', { accountId: '1', conversationId: '42' }],
  ])('%s is a conversation', (path, expected) => {
    expect(parseChatwootUrl(new URL(base + path + '?tab=open'))).toEqual(expected);
  });

  it.each([
    ['the conversation list', '/app/accounts/1/conversations'],
    ['a filtered list', '/app/accounts/1/inbox/3'],
    ['a contact', '/app/accounts/1/contacts/42'],
    ['the inbox view by notification id (older releases)', '/app/accounts/1/inbox-view/777'],
    ['a non-numeric id', '/app/accounts/1/conversations/42abc'],
    ['a non-numeric account', '/app/accounts/me/conversations/42'],
    ['the login page', '/app/login'],
    ['an id only in the query', '/app/accounts/1/conversations?conversations/42'],
  ])('%s is not a conversation', (_what, path) => {
    expect(parseChatwootUrl(new URL(base + path))).toBeNull();
  });

  it('is recognised as Chatwoot without a stored choice; the built-in inbox stays the default', () => {
    expect(chatwootAdapter.matches(new URL(`${base}/app/accounts/1/dashboard`))).toBe(true);
    expect(adapterFor(new URL(`${base}/app/accounts/1/conversations/2`)).kind).toBe('chatwoot');
    expect(adapterFor(new URL('http://127.0.0.1:8787/inbox')).kind).toBe('builtin');
    expect(adapterFor(new URL('https://elsewhere.example.com/')).kind).toBe('builtin');
    // The admin's choice wins over the look of the URL.
    expect(adapterFor(new URL('http://127.0.0.1:8787/inbox'), 'chatwoot').kind).toBe('chatwoot');
  });
});
