import { describe, expect, it } from 'vitest';
import { chatwootHost, sameChatwootHost } from './chatwoot-host';

describe('which Chatwoot addresses are the same host (the connected token goes only there)', () => {
  it.each([
    ['http://chat.example.com', 'https://chat.example.com', true],
    ['http://chat.example.com', 'https://chat.example.com:8443/chatwoot', true],
    ['https://Chat.Example.com.', 'https://chat.example.com', true],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:4000', true],
    ['https://chat.example.com', 'https://chat.example.com.evil.test', false],
    ['https://chat.example.com', 'https://support.example.com', false],
    ['http://127.0.0.1:3000', 'http://localhost:3000', false],
    ['https://chat.example.com', 'not a url', false],
  ])('%s and %s: %s', (a, b, same) => {
    expect(sameChatwootHost(a, b)).toBe(same);
  });

  it('names the host, or null for no URL', () => {
    expect(chatwootHost(' https://Chat.Example.com:8443/x ')).toBe('chat.example.com');
    expect(chatwootHost('chat.example.com')).toBeNull();
  });
});
