import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../lib/contracts/errors';
import { junk, mutated, Raw, rawBodies, toJsonText } from '../api-fuzz-arbitraries';
import { startChatwootPair, type ChatwootPair } from './harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

/** Near-valid and hostile Chatwoot deliveries: a 2xx or a 4xx in the error shape, never a 5xx. */
describe('Chatwoot webhook fuzzing', () => {
  let p: ChatwootPair;
  let bodies: Record<string, unknown>[];
  beforeAll(async () => {
    p = await startChatwootPair();
    const contact = p.cw.addContact({ name: '<img src=x onerror=alert(1)> Eve', email: 'eve@example.com', phone_number: '+15550001111', custom_attributes: { plan: 'pro' } });
    const conv = p.cw.addConversation({ contactId: contact.id, labels: ['vip'], firstMessage: { content: '<script>alert(1)</script>', incoming: true } });
    bodies = [
      p.cw.conversationPayload(conv.id, 'conversation_created'),
      p.cw.conversationPayload(conv.id, 'conversation_updated', { label_list: { previous_value: [], current_value: ['vip'] } }),
      p.cw.contactPayload(contact.id, 'contact_updated', { custom_attributes: { previous_value: {}, current_value: { plan: 'pro' } } }),
      p.cw.messagePayload(conv.id, conv.messages[0]!.id),
      // The same message changed (message_updated: message-edit.ts), with an HTML content to compare.
      { ...p.cw.messagePayload(conv.id, conv.messages[0]!.id), event: 'message_updated', content: '<p><strong>Edited</strong> <a href="https://x.example">link</a></p>' },
    ];
  });
  afterAll(async () => { await p?.close(); });

  it('never answers 5xx and stays healthy', async () => {
    const body = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...bodies).chain((b) => mutated(b)) },
      { weight: 1, arbitrary: junk },
      { weight: 1, arbitrary: fc.constantFrom(...bodies).chain((b) => rawBodies(b)) },
    );
    await fc.assert(fc.asyncProperty(body, async (b) => {
      const text = b instanceof Raw ? b.text : b === undefined ? '' : toJsonText(b);
      const res = await fetch(p.account.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      const answer = await res.text();
      const what = `${text.slice(0, 300)} → ${res.status} ${answer.slice(0, 300)}`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) expect(ErrorBody.safeParse(JSON.parse(answer)).success, what).toBe(true);
    }), { numRuns: RUNS });
    expect((await p.server.request('GET', '/healthz')).status).toBe(200);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await fetch(p.account.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'contact_updated', pad: 'x'.repeat(1_100_000) }) });
    expect(res.status).toBe(413);
  });
});
