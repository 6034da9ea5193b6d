import { describe, expect, it } from 'vitest';
import { ChatwootBaseUrl } from './chatwoot';

describe('ChatwootBaseUrl: one spelling of the address, whichever way it was typed', () => {
  it.each([
    ['HTTP://Chat.Example.com:80/', 'http://chat.example.com'],
    ['https://CHAT.example.com:443', 'https://chat.example.com'],
    [' https://chat.example.com/// ', 'https://chat.example.com'],
    ['https://chat.example.com:8443/chatwoot/', 'https://chat.example.com:8443/chatwoot'],
    // Not the scheme's default port: another server, kept.
    ['http://chat.example.com:443/', 'http://chat.example.com:443'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
  ])('%j is stored as %j', (typed, stored) => {
    expect(ChatwootBaseUrl.parse(typed)).toBe(stored);
  });

  it('still refuses what is not a web address', () => {
    expect(ChatwootBaseUrl.safeParse('ftp://chat.example.com').success).toBe(false);
  });
});
