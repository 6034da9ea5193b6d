import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerDelivery, messengerText, whatsappPlainMessage, whatsappStatus } from '../../fixtures/meta/payloads';
import { graphErrors, type StandInTemplate } from '../../support/graph-standin';
import { waitForRun } from '../webhooks/support';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

type Msg = { id: string; direction: string; text: string; attachments?: unknown[]; delivery: { status: string; error: string | null; externalId: string | null } };

/**
 * What a workflow's Send message step does with Meta's own refusals (131047 when WhatsApp's
 * window is closed whatever our record says; 131026 / 131049 explained), a Messenger caption
 * (a message of its own after the attachment) and a template's text in the inbox, on SQLite or
 * PostgreSQL, against the Graph stand-in.
 */
export function metaSendsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { const url = databaseUrl(); w = await startChannelWorld(url ? { databaseUrl: url } : {}); });
  afterEach(async () => { await w.close(); });

  const whatsappCustomer = async () => {
    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550123', text: 'Hi, where is my order?', name: 'Ana Lima' }))).status).toBe(200);
    return conversationOf(w.server, 'phone=%2B14155550123');
  };
  const messengerCustomer = async () => {
    expect((await w.deliver(messengerText({ psid: '24680013579', text: 'Hi' }))).status).toBe(200);
    return conversationOf(w.server, 'q=3579');
  };
  const outgoing = async (conversationId: string): Promise<Msg[]> =>
    (await w.server.api(w.server.adminToken).get(`/conversations/${conversationId}`)).body.messages.filter((m: Msg & { kind: string }) => m.direction === 'outgoing' && m.kind !== 'activity');
  const stepOf = (run: { stepLog: { stepId: string }[] }, id: string) => run.stepLog.find((s) => s.stepId === id) as any;
  /** What a crash right after the sends leaves: the message rows, no checkpoint. The run runs the step again. */
  const resume = async (runId: string) => {
    const db = w.server.store.db;
    await db.deleteFrom('step_effects').execute();
    await db.updateTable('runs').set({ status: 'queued', cursor: 0, step_log: '[]', ended_at: null, error: null }).where('id', '=', runId).execute();
    w.server.app.services.runSignal.notify();
    return waitForRun(w.server, runId);
  };
  const fallback = { name: 'we_miss_you', language: 'en_US', parameters: ['{{$contact.firstName}}'] };

  describe('WhatsApp refuses with 131047 (its 24-hour window is closed) while ours says open', () => {
    it('the step sends its fallback template, once; the step log says why; the refused text shows as failed with what to do', async () => {
      const { contact, conversation } = await whatsappCustomer();
      const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Your order shipped', fallbackTemplate: fallback } }]);
      w.graph.failNext(graphErrors.reEngagement());
      const run = await w.fire(wf, contact.id);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      expect(w.graph.sent.map((s) => s.body.template?.name ?? s.body.type)).toEqual(['we_miss_you']);
      expect(w.graph.sent[0]!.body.template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }]);
      const step = stepOf(run, 'say');
      expect(step.notes.join(' ')).toMatch(/more than 24 hours passed since the customer last wrote, by WhatsApp's own record \(Meta error 131047\); sent the fallback template we_miss_you instead/);
      expect(step.output).toMatchObject({ sentAs: 'template', fallbackTemplate: true, delivery: { status: 'accepted', externalId: w.graph.sent[0]!.id } });
      const [refused, template] = await outgoing(conversation.id);
      expect(refused).toMatchObject({ text: 'Your order shipped', delivery: { status: 'failed' } });
      expect(refused!.delivery.error).toMatch(/^WhatsApp says more than 24 hours passed since the customer last wrote: .*Send a template.*\(Meta error 131047 /);
      expect(template!.delivery).toMatchObject({ status: 'accepted', externalId: w.graph.sent[0]!.id });

      const resumed = await resume(run.id);
      expect(resumed.status).toBe('completed');
      expect(w.graph.sent).toHaveLength(1);
      expect(await outgoing(conversation.id)).toHaveLength(2);
    });

    it('without a fallback template the run fails saying what to add', async () => {
      const { contact } = await whatsappCustomer();
      const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Your order shipped' } }]);
      w.graph.failNext(graphErrors.reEngagement());
      const run = await w.fire(wf, contact.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^Not sent: WhatsApp says more than 24 hours passed since the customer last wrote: add a fallback template to this step \(Meta error 131047 \(OAuthException\)/);
      expect(w.graph.sent).toHaveLength(0);
    });
  });

  describe('Meta\'s refusals explained where the failure shows', () => {
    it('131026 from the send: the run error and the message say the number may not be on WhatsApp', async () => {
      const { contact, conversation } = await whatsappCustomer();
      const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello' } }]);
      w.graph.failNext(graphErrors.undeliverable());
      const run = await w.fire(wf, contact.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^Meta did not accept the message: WhatsApp could not deliver it: the number may not be on WhatsApp, or its owner has not accepted WhatsApp's new Terms of Service, or uses an old WhatsApp version\..*\(Meta error 131026 /);
      const [failed] = await outgoing(conversation.id);
      expect(failed!.delivery.error).toMatch(/^WhatsApp could not deliver it: .*\(Meta error 131026 \(OAuthException\): \(#131026\) Message Undeliverable/);
    });

    it.each([
      [131047, 'Re-engagement message', /^WhatsApp says more than 24 hours passed since the customer last wrote: .*Send a template/],
      [131026, 'Message Undeliverable', /^WhatsApp could not deliver it: the number may not be on WhatsApp/],
      [131049, 'This message was not delivered to maintain healthy ecosystem engagement.', /^Meta chose not to deliver this marketing message/],
    ])('a failed status webhook with %i shows what to do on the message (the run stays completed)', async (code, title, advice) => {
      const { contact, conversation } = await whatsappCustomer();
      // Without a fallback template: with one, a late 131047 sends it (late-refusal-suite.ts).
      const wf = await w.tagWorkflow([{ id: 'say', type: 'send_message', config: { text: 'Hello' } }]);
      const run = await w.fire(wf, contact.id);
      expect((await w.deliver(whatsappStatus({ wamid: w.graph.sent[0]!.id, status: 'failed', recipient: '14155550123', errorCode: code, errorTitle: title }))).status).toBe(200);
      const [message] = await outgoing(conversation.id);
      expect(message!.delivery.status).toBe('failed');
      expect(message!.delivery.error).toMatch(advice);
      expect(message!.delivery.error).toContain(`(Meta error ${code}: ${title}`);
      expect((await waitForRun(w.server, run.id)).status).toBe('completed');
      expect(w.graph.sent).toHaveLength(1);
    });
  });

  describe('a caption on Messenger', () => {
    const mediaStep = { id: 'pic', type: 'send_message', config: { kind: 'media', media: { type: 'image', url: 'https://cdn.example.com/invoice.png' }, text: 'Your invoice' } };

    it('goes as a text message right after the attachment, each its own message with its own delivery, never sent twice', async () => {
      const { contact, conversation } = await messengerCustomer();
      const wf = await w.tagWorkflow([mediaStep]);
      const run = await w.fire(wf, contact.id);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      expect(w.graph.sent.map((s) => s.body.message)).toEqual([
        { attachment: { type: 'image', payload: { url: 'https://cdn.example.com/invoice.png', is_reusable: true } }, metadata: expect.stringMatching(/^inbox-companion:msg_/) },
        { text: 'Your invoice', metadata: expect.stringMatching(/^inbox-companion:msg_/) },
      ]);
      const [attachment, caption] = await outgoing(conversation.id);
      expect(attachment).toMatchObject({ attachments: [{ type: 'image', url: 'https://cdn.example.com/invoice.png' }], delivery: { status: 'accepted', externalId: w.graph.sent[0]!.id } });
      expect(attachment!.text).not.toContain('Your invoice');
      expect(caption).toMatchObject({ text: 'Your invoice', delivery: { status: 'accepted', externalId: w.graph.sent[1]!.id } });
      expect(stepOf(run, 'pic').output.caption).toEqual({ messageId: caption!.id, delivery: { status: 'accepted', externalId: w.graph.sent[1]!.id, error: null } });
      expect(stepOf(run, 'pic').notes.join(' ')).toMatch(/the caption goes as a message of its own right after the attachment/);

      // Receipts land on each message apart.
      await w.deliver(messengerDelivery({ psid: '24680013579', mids: [w.graph.sent[1]!.id] }));
      expect((await outgoing(conversation.id)).map((m) => m.delivery.status)).toEqual(['accepted', 'delivered']);

      expect((await resume(run.id)).status).toBe('completed');
      expect(w.graph.sent).toHaveLength(2);
      expect(await outgoing(conversation.id)).toHaveLength(2);
    });

    it('a caption Meta refuses fails the step and shows as failed; the attachment shows as sent', async () => {
      const { contact, conversation } = await messengerCustomer();
      const wf = await w.tagWorkflow([mediaStep]);
      w.graph.failNext({ ...graphErrors.personUnavailable(), onBody: (b) => typeof b.message?.text === 'string' });
      const run = await w.fire(wf, contact.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^The attachment was sent, but not its caption: Meta error 551\/1545041/);
      expect((await outgoing(conversation.id)).map((m) => [m.text.includes('Your invoice'), m.delivery.status])).toEqual([[false, 'accepted'], [true, 'failed']]);
    });
  });

  describe('a template in the inbox', () => {
    const orderUpdate: StandInTemplate = {
      id: '1', name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
        { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' },
        { type: 'FOOTER', text: 'Acme Store' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track it' }] },
      ],
    };

    it('shows its text as the customer saw it, values in place (Meta read once for two sends); one Meta does not list keeps the bracketed form', async () => {
      w.graph.addBusinessAccount({ id: WA.businessAccountId, token: WA.token, templates: [orderUpdate] });
      const { contact, conversation } = await whatsappCustomer();
      const template = { name: 'order_update', language: 'en_US', parameters: ['{{$contact.firstName}}', '#1042'], header: { type: 'text', text: '#1042' } };
      const wf = await w.tagWorkflow([
        { id: 'a', type: 'send_message', config: { kind: 'template', template } },
        { id: 'b', type: 'send_message', config: { kind: 'template', template } },
        { id: 'c', type: 'send_message', config: { kind: 'template', template: { name: 'legacy_promo', language: 'en_US', parameters: ['Old'] } } },
      ]);
      const run = await w.fire(wf, contact.id);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      const seen = 'Order #1042\nHi Ana, your order #1042 has shipped.\nAcme Store\n[Track it]';
      expect((await outgoing(conversation.id)).map((m) => m.text)).toEqual([seen, seen, '[template legacy_promo: Old]']);
      expect(w.graph.requests.filter((r) => r.path === `/v21.0/${WA.businessAccountId}/message_templates`)).toHaveLength(2);
    });
  });
}
