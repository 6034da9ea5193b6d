import { describe, expect, it } from 'vitest';
import { sameChatwootAccount } from './same-account';

describe('sameChatwootAccount', () => {
  it.each([
    ['http://chat.example.com', 'https://chat.example.com', true],
    ['https://chat.example.com', 'https://chat.example.com/', true],
    ['https://Chat.Example.COM', 'https://chat.example.com', true],
    ['HTTPS://chat.example.com:443', 'http://chat.example.com', true],
    ['http://chat.example.com:80', 'https://chat.example.com', true],
    ['http://chat.example.com:3000', 'https://chat.example.com:3000/', true],
    ['https://example.com/chatwoot/', 'https://example.com/chatwoot', true],
    ['http://chat.example.com:3000', 'http://chat.example.com', false],
    ['https://chat.example.com', 'https://support.example.com', false],
    ['https://example.com/a', 'https://example.com/b', false],
  ])('%s and %s: %s', (a, b, same) => {
    expect(sameChatwootAccount({ baseUrl: a, accountId: 1 }, { baseUrl: b, accountId: 1 })).toBe(same);
  });

  it('another account id of the same Chatwoot is another account', () => {
    expect(sameChatwootAccount({ baseUrl: 'https://chat.example.com', accountId: 1 }, { baseUrl: 'https://chat.example.com', accountId: 2 })).toBe(false);
  });
});
