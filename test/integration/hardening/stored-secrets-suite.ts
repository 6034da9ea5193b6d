import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { whatsappPlainMessage } from '../../fixtures/meta/payloads';
import { conversationOf, startChannelWorld, WA, PAGE, type ChannelWorld } from '../channels/support';

// Errors stored by releases before the masking at the source (graph-secrets.ts, Chatwoot's
// answer-secrets.ts, hide-secrets.ts, excerpt.ts) can quote a credential: Graph's code-190 refusal
// quotes the token whole ("Malformed access token EAAG…"), a proxy's error page quotes a URL token.
// Such rows are written here as those releases wrote them (raw SQL), and every API answer that
// shows them (the run history and run details, the channel card, the thread's "Not sent" line,
// the inbox list and an app's undelivered requests) must show them masked. SQLite (stored-secrets.test.ts) and PostgreSQL (.pg).

const show = (body: unknown) => JSON.stringify(body);
// A Standard Webhooks secret whose key (the part after whsec_) has a `/` an answer may escape.
const SIGNING_KEY = Buffer.from(Array.from({ length: 24 }, (_, i) => (i * 43 + 250) % 256)).toString('base64');
const SIGNING = `whsec_${SIGNING_KEY}`;

export function storedSecretsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  beforeEach(async () => { w = await startChannelWorld({ databaseUrl: databaseUrl() }); });
  afterEach(async () => { await w.close(); });

  it('runs, channels and messages stored with a quoted credential are shown masked', async () => {
    const admin = w.server.api(w.server.adminToken);
    const db = w.server.store.db;
    // A webhook URL token has no shape a pattern could know: only the workspace's own secrets find it.
    const hook = await admin.post('/workflows', { name: 'Hook', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, signingSecret: SIGNING }, steps: [{ id: 'n', type: 'add_comment', config: { text: 'x' } }] });
    expect(hook.status, show(hook.body)).toBe(201);
    const urlToken = String(hook.body.trigger.url).split('/').pop()!;
    const contact = await admin.post('/contacts', { firstName: 'Ada', phone: '+14155550123' });
    const workflowId = await w.tagWorkflow([{ id: 'note', type: 'add_comment', config: { text: 'Hi' } }]);
    const run = await w.fire(workflowId, contact.body.id);

    const quoting = `Graph error 190: Malformed access token ${WA.token} (proxy said: upstream ${urlToken} refused)`;
    // The signing key as a PHP JSON answer writes it (`/` as `\/`), then quoted in a note's JSON.
    const escapedKey = SIGNING_KEY.replace(/\//g, '\\/');
    const stepLog = [{
      stepId: 'note', type: 'add_comment', status: 'failed', error: quoting,
      notes: [`Chatwoot answered {"message":"Invalid token ${escapedKey}"}`, `Page token ${PAGE.token} refused`],
      output: { response: `{"error":"bad token ${urlToken}"}`, status: 401 },
      startedAt: run.createdAt, endedAt: run.createdAt,
    }];
    await sql`update runs set status = 'failed', error = ${quoting}, step_log = ${JSON.stringify(stepLog)} where id = ${run.id}`.execute(db);
    await sql`update connections set status = 'error', last_error = ${quoting} where id = ${w.whatsappId}`.execute(db);

    expect((await w.deliver(whatsappPlainMessage({ waId: '14155550999', text: 'Hello', phoneNumberId: WA.phoneNumberId }))).status).toBe(200);
    const { conversation } = await conversationOf(w.server, 'q=14155550999');
    const messageId = conversation.messages[0].id as string;
    await sql`update messages set delivery_status = 'failed', delivery_error = ${`Not sent: the run failed (${quoting})`} where id = ${messageId}`.execute(db);

    // An app's unsubscribe request given up on, its error quoting the app's signing key (its answer echoed the request).
    const registered = await admin.post('/apps', { key: 'payments', name: 'Payments' });
    expect(registered.status, show(registered.body)).toBe(201);
    const appKey = String(registered.body.signingSecret).replace(/^whsec_/, '');
    await sql`insert into outbox (id, kind, url, headers, body, attempts, next_attempt_at, last_error, created_at, delivered_at)
      values ('obx_STORED1', 'app.unsubscribe', 'https://payments.example.com/unsubscribe', '{}', ${JSON.stringify({ appId: registered.body.app.id, installationId: 'ins_gone' })},
        6, '9999-12-31T23:59:59.999Z', ${`HTTP 400: {"error":"bad signature","key":"${appKey}"}`}, ${run.createdAt}, null)`.execute(db);

    const answers = {
      runs: await admin.get('/runs'),
      workflowRuns: await admin.get(`/workflows/${workflowId}/runs`),
      run: await admin.get(`/runs/${run.id}`),
      channels: await admin.get('/channels'),
      conversation: await admin.get(`/conversations/${conversation.id}`),
      messages: await admin.get(`/conversations/${conversation.id}/messages`),
      inbox: await admin.get('/conversations?status=open'),
      apps: await admin.get('/apps'),
      app: await admin.get(`/apps/${registered.body.app.id}`),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, `${name}: ${show(answer.body)}`).toBe(200);
      const text = show(answer.body);
      for (const secret of [WA.token, urlToken, PAGE.token, SIGNING_KEY, JSON.stringify(escapedKey).slice(1, -1), appKey]) expect(text, name).not.toContain(secret);
      expect(text, name).toContain('[redacted]');
    }
    // The rest of each text stays readable.
    expect(answers.run.body.error).toBe('Graph error 190: Malformed access token [redacted] (proxy said: upstream [redacted] refused)');
    expect(answers.run.body.stepLog[0].notes).toEqual(['Chatwoot answered {"message":"Invalid token [redacted]"}', 'Page token [redacted] refused']);
    expect(answers.run.body.stepLog[0].output).toEqual({ response: '{"error":"bad token [redacted]"}', status: 401 });
    expect(answers.channels.body.channels.find((c: { id: string }) => c.id === w.whatsappId).lastError).toMatch(/^Graph error 190: Malformed access token \[redacted\]/);
    expect(answers.app.body.deliveries[0].lastError).toBe('HTTP 400: {"error":"bad signature","key":"[redacted]"}');
    const failed = answers.messages.body.messages.find((m: { id: string }) => m.id === messageId);
    expect(failed.delivery.error).toMatch(/^Not sent: the run failed \(Graph error 190: Malformed access token \[redacted\]/);

    // A token replaced since is masked too: the set follows the workspace's credentials.
    w.graph.addPhoneNumber({ id: WA.phoneNumberId, token: 'EAAGreplacedToken9876', businessAccountId: WA.businessAccountId });
    expect((await admin.patch(`/channels/${w.whatsappId}`, { accessToken: 'EAAGreplacedToken9876' })).status).toBe(200);
    await sql`update runs set error = ${'token was nEAAGreplacedToken9876'} where id = ${run.id}`.execute(db);
    expect((await admin.get(`/runs/${run.id}`)).body.error).toBe('token was n[redacted]');
  }, 30_000);
}
