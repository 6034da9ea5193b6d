import { describe, expect, it } from 'vitest';
import { threadReason } from './thread-reason';

describe('threadReason', () => {
  it.each<[string, string, string]>([
    ['an HTTP step\'s answer is left out', 'POST https://crm.example/x answered HTTP 422: {"you_sent":{"key":"[redacted]"}}', 'POST https://crm.example/x answered HTTP 422'],
    ['an answer with parentheses and newlines of its own', 'GET https://h/x answered HTTP 500: oops (1 attempt)\n(2 attempts) done', 'GET https://h/x answered HTTP 500'],
    ['a redirect not followed: its Location left out', 'GET https://h/hop/0 answered HTTP 302 (Location: https://h/hop/6?token=***)', 'GET https://h/hop/0 answered HTTP 302'],
    ['waiting to try again: the attempts kept', 'POST https://h/x: answered HTTP 503: busy (3 attempts)', 'POST https://h/x: answered HTTP 503 (3 attempts)'],
    ['retries spent: what the engine says kept', 'POST https://h/x: answered HTTP 429: slow down (tried 6 times over 38 minutes; not tried again)', 'POST https://h/x: answered HTTP 429 (tried 6 times over 38 minutes; not tried again)'],
    ['an app action\'s answer is left out', 'POST http://127.0.0.1:5/refunds answered HTTP 500: {"error":"ledger timeout"}', 'POST http://127.0.0.1:5/refunds answered HTTP 500'],
    ['a refused request said plainly', 'POST http://127.0.0.1:9/crm: 127.0.0.1 is a loopback address. To allow it, add "127.0.0.1" to COMPANION_ALLOW_PRIVATE_URLS', 'the request was refused'],
    ['Chatwoot\'s errors keep their words', 'Chatwoot answered HTTP 429 to POST /api/v1/accounts/1/conversations/5/messages: Retry later', 'Chatwoot answered HTTP 429 to POST /api/v1/accounts/1/conversations/5/messages: Retry later'],
    ['other errors keep their words', 'Not sent: the WhatsApp number was disconnected', 'Not sent: the WhatsApp number was disconnected'],
  ])('%s', (_, error, expected) => {
    expect(threadReason(error)).toBe(expected);
  });
});
