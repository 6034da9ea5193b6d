import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConversationDetail, ConversationList } from '../../../lib/contracts/conversations';
import { Run } from '../../../lib/contracts/runs';
import type { StepInput } from '../../../lib/contracts/steps';
import type { TriggerInput } from '../../../lib/contracts/triggers';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Workflows tell Chatwoot inboxes apart: a mirrored conversation keeps its Chatwoot inbox (id,
 * name, channel), the conversation's detail shows it, templates and Branch read
 * `$conversation.inboxName` / `$conversation.channelType`, and Conversation Opened / Closed take
 * rules on the channel and the inbox; a built-in conversation's channel is `inbox`. Mirrors from
 * before this was kept are filled by the next sync. Registered by inboxes.test.ts (SQLite) and
 * inboxes.pg.test.ts (PostgreSQL).
 */
export function chatwootInboxesSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => {
    p = await startChatwootPair({
      workers: true, databaseUrl: databaseUrl(),
      beforeConnect: async (_server, cw) => {
        cw.inboxes.push({ id: 4, name: 'WhatsApp Support', channel_type: 'Channel::Whatsapp' }, { id: 5, name: 'Support email', channel_type: 'Channel::Email' },
          { id: 6, name: 'Twilio WhatsApp', channel_type: 'Channel::TwilioSms', medium: 'whatsapp' });
      },
    });
  });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const note = (id: string, text: string): StepInput => ({ id, type: 'add_comment', config: { text } });
  const notesOn = (conversationId: number) => p.cw.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith(`/conversations/${conversationId}/messages`) && r.body?.private === true).map((r) => r.body.content as string);
  const ended = (workflowId: string, count: number) => waitFor(`${count} run(s) of ${workflowId} to end`, async () => {
    const runs = await runsOf(p.server, workflowId);
    return runs.length === count && runs.every((r) => ['completed', 'failed'].includes(r.status)) ? runs : undefined;
  });
  const writesIn = async (inboxId: number, name: string) => {
    const contact = p.cw.addContact({ name });
    const conv = p.cw.addConversation({ contactId: contact.id, inboxId, firstMessage: { content: `Hi, ${name} here`, incoming: true } });
    const res = await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return conv;
  };
  const mirrorOf = async (displayId: number) => {
    const list = ConversationList.parse((await admin().get('/conversations?limit=200')).body).conversations;
    return list.find((c) => c.externalId === String(displayId))!;
  };
  const opened = (rules: [string, 'is' | 'is_not', string][]): TriggerInput =>
    ({ type: 'conversation_opened', conditions: { logic: 'and', rules: rules.map(([field, operator, value]) => ({ field, operator, value })) } }) as TriggerInput;

  it('keeps each conversation\'s Chatwoot inbox: rules on channel and inbox pick theirs, and templates and Branch read them', async () => {
    const onWhatsApp = await createWorkflow(p.server, { name: 'WhatsApp only', trigger: opened([['channel', 'is', 'whatsapp']]), steps: [note('n', 'WhatsApp lead')] });
    const onEmailInbox = await createWorkflow(p.server, { name: 'Email inbox', trigger: opened([['inbox', 'is', 'Support email']]), steps: [note('n', 'Email lead')] });
    const branching = await createWorkflow(p.server, {
      name: 'Where from', trigger: { type: 'conversation_opened' },
      steps: [
        { id: 'b', type: 'branch', config: { branches: [{ name: 'WhatsApp', conditions: { logic: 'and', rules: [{ left: '{{$conversation.channelType}}', operator: 'is', right: 'whatsapp' }] }, goTo: 'wa' }], elseGoTo: 'all' } },
        note('wa', 'WhatsApp conversation in {{$conversation.inboxName}}'),
        note('all', 'channel {{$conversation.channelType}}, inbox {{$conversation.inboxName}}'),
      ],
    });

    const wa = await writesIn(4, 'Wanda');
    const web = await writesIn(3, 'Webster');
    const mail = await writesIn(5, 'Emil');
    const twilio = await writesIn(6, 'Tina');
    expect((await ended(onWhatsApp.id, 2)).every((r) => r.status === 'completed')).toBe(true);
    expect((await ended(onEmailInbox.id, 1))[0]!.status).toBe('completed');
    expect((await ended(branching.id, 4)).every((r) => r.status === 'completed')).toBe(true);

    expect(notesOn(wa.id)).toEqual(expect.arrayContaining(['WhatsApp lead', 'WhatsApp conversation in WhatsApp Support', 'channel whatsapp, inbox WhatsApp Support']));
    expect(notesOn(wa.id)).toHaveLength(3);
    expect(notesOn(web.id)).toEqual(['channel web, inbox Website']);
    expect(notesOn(mail.id).sort()).toEqual(['Email lead', 'channel email, inbox Support email']);
    // A Twilio inbox is WhatsApp or SMS by its medium, which only the inbox list says.
    expect(notesOn(twilio.id)).toEqual(expect.arrayContaining(['WhatsApp lead', 'channel whatsapp, inbox Twilio WhatsApp']));

    // The conversation says where it lives: in the list, and in its detail's inbox.
    expect(await mirrorOf(wa.id)).toMatchObject({ connectionId: p.account.id, inboxName: 'WhatsApp Support', channelType: 'whatsapp' });
    const detail = ConversationDetail.parse((await admin().get(`/conversations/${(await mirrorOf(mail.id)).id}`)).body);
    expect(detail.inbox).toMatchObject({ kind: 'chatwoot', name: 'Support email', account: 'Acme Support', inboxId: '5', channel: 'email', externalId: String(mail.id) });
  });

  it('Conversation Closed takes the rules too, and a built-in conversation is on channel "inbox"', async () => {
    const closedOnWeb = await createWorkflow(p.server, {
      name: 'Web closed', trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'user' }, { field: 'channel', operator: 'is', value: 'web' }] } },
      steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }],
    });
    const builtIn = await createWorkflow(p.server, { name: 'Built-in', trigger: opened([['channel', 'is', 'inbox']]), steps: [{ id: 'w', type: 'wait', config: { seconds: 3600 } }] });
    const wa = await writesIn(4, 'Wanda');
    const web = await writesIn(3, 'Webster');
    for (const conv of [wa, web]) {
      conv.status = 'resolved';
      p.cw.touch(conv);
      expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null))).status).toBe(200);
    }
    const runs = await waitFor('the web close to start a run', async () => {
      const r = await runsOf(p.server, closedOnWeb.id);
      return r.length ? r : undefined;
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.conversationId).toBe((await mirrorOf(web.id)).id);

    const contact = (await admin().post('/contacts', { firstName: 'Bo' })).body.id;
    const own = (await admin().post('/conversations', { contactId: contact })).body;
    expect(own).toMatchObject({ connectionId: null, channelType: 'inbox', inboxName: null });
    const started = await waitFor('the built-in run', async () => {
      const r = await runsOf(p.server, builtIn.id);
      return r.length ? r : undefined;
    });
    expect(started.map((r) => r.conversationId)).toEqual([own.id]);
  });

  it('fills the inbox of conversations mirrored before it was kept at the next sync, and follows a renamed inbox', async () => {
    const wa = await writesIn(4, 'Wanda');
    // As mirrored by an earlier version: no inbox, no channel.
    await p.server.store.db.updateTable('conversations').set({ inbox_external_id: null, inbox_name: null, channel_type: null }).execute();
    expect(await mirrorOf(wa.id)).toMatchObject({ inboxName: null, channelType: null });
    p.cw.inboxes.find((i) => i.id === 4)!.name = 'WhatsApp Sales';
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(200);
    expect(await mirrorOf(wa.id)).toMatchObject({ inboxName: 'WhatsApp Sales', channelType: 'whatsapp' });
  });

  it('lists the connected accounts\' inboxes for the trigger form', async () => {
    const res = await admin().get('/chatwoot/inboxes');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      inboxes: [
        { connectionId: p.account.id, account: 'Acme Support', id: 3, name: 'Website', channel: 'web' },
        { connectionId: p.account.id, account: 'Acme Support', id: 4, name: 'WhatsApp Support', channel: 'whatsapp' },
        { connectionId: p.account.id, account: 'Acme Support', id: 5, name: 'Support email', channel: 'email' },
        { connectionId: p.account.id, account: 'Acme Support', id: 6, name: 'Twilio WhatsApp', channel: 'whatsapp' },
      ],
      errors: [],
    });
  });

  it('Conversation Opened and Closed runs read the inbox and channel as $trigger.inboxName / $trigger.channelType', async () => {
    // A Closed run has no open conversation: `$conversation.*` is empty there, the trigger says where it was.
    const where = '{{$trigger.inboxName}} / {{$trigger.channelType}}';
    const openedRuns = await createWorkflow(p.server, { name: 'Opened where', trigger: { type: 'conversation_opened' }, steps: [note('n', `opened in ${where}`)] });
    const closedRuns = await createWorkflow(p.server, { name: 'Closed where', trigger: { type: 'conversation_closed' }, steps: [note('n', where)] });
    const wa = await writesIn(4, 'Wanda');
    const web = await writesIn(3, 'Webster');
    expect((await ended(openedRuns.id, 2)).every((r) => r.status === 'completed')).toBe(true);
    web.status = 'resolved';
    p.cw.touch(web);
    expect((await p.hook(p.cw.conversationPayload(web.id, 'conversation_status_changed', null))).status).toBe(200);
    const [run] = await ended(closedRuns.id, 1);
    expect(run!.status, run!.error ?? '').toBe('completed');
    expect(notesOn(web.id)).toEqual(['opened in Website / web', 'Website / web']);
    expect(notesOn(wa.id)).toEqual(['opened in WhatsApp Support / whatsapp']);
    expect(run!.variables.trigger).toMatchObject({ inboxName: 'Website', channelType: 'web', channel: 'chatwoot' });
  });

  it('Add comment on a conversation an agent just resolved posts the private note to Chatwoot, which keeps it resolved', async () => {
    const closed = await createWorkflow(p.server, {
      name: 'After resolve', trigger: { type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'source', operator: 'is', value: 'user' }] } },
      steps: [note('n', 'Resolved in {{$trigger.resolutionTimeSeconds}} s; survey sent')],
    });
    const conv = await writesIn(3, 'Rosa');
    conv.status = 'resolved';
    p.cw.touch(conv);
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_status_changed', null))).status).toBe(200);
    const [run] = await ended(closed.id, 1);
    expect(run!.status, run!.error ?? '').toBe('completed');
    expect(notesOn(conv.id)).toEqual([expect.stringMatching(/^Resolved in \d+ s; survey sent$/)]);
    expect(conv.status).toBe('resolved');
    expect(conv.messages.at(-1)).toMatchObject({ private: true, content: notesOn(conv.id)[0] });
    // Here, the note sits on the resolved conversation with Chatwoot's message id (its echo finds it).
    const mirror = await mirrorOf(conv.id);
    expect(mirror.status).toBe('closed');
    const detail = ConversationDetail.parse((await admin().get(`/conversations/${mirror.id}`)).body);
    expect(detail.messages.filter((m) => m.kind === 'comment').map((m) => m.text)).toEqual(notesOn(conv.id));
    const output = Run.parse((await admin().get(`/runs/${run!.id}`)).body).stepLog[0]!.output as { chatwootMessageId?: number };
    expect(output.chatwootMessageId).toBe(conv.messages.at(-1)!.id);
  });
}
