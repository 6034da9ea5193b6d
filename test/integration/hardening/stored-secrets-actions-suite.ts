import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { amendStep } from '../../../server/channels/late-fallback-note';
import { openSse } from '../../support/sse';
import { waitForRun } from '../webhooks/support';
import { startChannelWorld, WA, type ChannelWorld } from '../channels/support';

// The answers stored-secrets-suite.ts does not read: those of the actions on a run (Try now,
// Cancel, Run again and its repeat under the same Idempotency-Key), the live stream's run.updated
// and the ad accounts' last error. Rows are written as a release before the masking at the
// source wrote them (raw SQL), quoting the WhatsApp token (a shape the logs know) and a webhook URL
// token (no shape: only the workspace's own secrets find it). SQLite and PostgreSQL (.pg).

const show = (body: unknown) => JSON.stringify(body);
const ADS = { id: 'act_5550001', token: 'EAAGadsToken4321QRST' };

export function storedSecretsActionsSuite(databaseUrl: () => string | undefined) {
  let w: ChannelWorld;
  let urlToken: string;
  let quoting: string;
  let workflowId: string;
  let contactId: string;
  beforeEach(async () => {
    w = await startChannelWorld({ databaseUrl: databaseUrl() });
    const admin = w.server.api(w.server.adminToken);
    const hook = await admin.post('/workflows', { name: 'Hook', trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, steps: [{ id: 'n', type: 'add_comment', config: { text: 'x' } }] });
    expect(hook.status, show(hook.body)).toBe(201);
    urlToken = String(hook.body.trigger.url).split('/').pop()!;
    quoting = `Graph error 190: Malformed access token ${WA.token} (proxy said: upstream ${urlToken} refused)`;
    contactId = (await w.server.api(w.server.adminToken).post('/contacts', { firstName: 'Ada', phone: '+14155550123' })).body.id;
    workflowId = await w.tagWorkflow([{ id: 'note', type: 'add_comment', config: { text: 'Hi' } }]);
  });
  afterEach(async () => { await w.close(); });

  const admin = () => w.server.api(w.server.adminToken);
  const MASKED = 'Graph error 190: Malformed access token [redacted] (proxy said: upstream [redacted] refused)';
  const expectMasked = (name: string, body: unknown) => {
    const text = show(body);
    for (const secret of [WA.token, urlToken]) expect(text, name).not.toContain(secret);
    expect(text, name).toContain('[redacted]');
  };
  /** A finished run of the tag workflow, then stored as an older release left it. */
  const storedRun = async (status: string, entryStatus: string, wakeAt: string | null = null) => {
    const run = await w.fire(workflowId, contactId);
    const stepLog = [{ stepId: 'note', type: 'add_comment', status: entryStatus, error: quoting, notes: [`upstream ${urlToken} answered 503`], startedAt: run.createdAt, endedAt: run.createdAt }];
    await sql`update runs set status = ${status}, error = ${status === 'failed' ? quoting : null}, step_log = ${JSON.stringify(stepLog)}, wake_at = ${wakeAt} where id = ${run.id}`.execute(w.server.store.db);
    return run.id as string;
  };

  const LATER = '9999-12-31T23:59:59.999Z';

  it('Cancel answers a run waiting to try a step again with its stored log masked', async () => {
    const waiting = await storedRun('waiting', 'retrying', LATER);
    const cancelled = await admin().post(`/runs/${waiting}/cancel`);
    expect(cancelled.status, show(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expectMasked('cancel', cancelled.body);
    expect(cancelled.body.stepLog[0]).toMatchObject({ error: MASKED, notes: ['upstream [redacted] answered 503'] });
  }, 30_000);

  it('Try now answers the run with its stored log masked', async () => {
    const waiting = await storedRun('waiting', 'retrying', LATER);
    const tried = await admin().post(`/runs/${waiting}/retry-now`);
    expect(tried.status, show(tried.body)).toBe(200);
    expectMasked('retry-now', tried.body);
    expect(tried.body.stepLog[0].error).toBe(MASKED);
  }, 30_000);

  it('Run again answers masked, and so does its repeat under the same Idempotency-Key once the rerun failed with a stored error', async () => {
    const failed = await storedRun('failed', 'failed');
    const keyed = { headers: { 'idempotency-key': 'rerun-once' } };
    const first = await admin().post(`/runs/${failed}/rerun`, undefined, keyed);
    expect(first.status, show(first.body)).toBe(201);
    expect(show(first.body)).not.toContain(urlToken);
    await waitForRun(w.server, first.body.id);
    await sql`update runs set status = 'failed', error = ${quoting} where id = ${first.body.id}`.execute(w.server.store.db);

    const repeat = await admin().post(`/runs/${failed}/rerun`, undefined, keyed);
    expect(repeat.status, show(repeat.body)).toBe(201);
    expect(repeat.headers.get('x-duplicate-delivery')).toBe('true');
    expect(repeat.body).toMatchObject({ id: first.body.id, status: 'failed', error: MASKED });
  }, 30_000);

  it('the live stream\'s run.updated carries a stored run error masked (a late refusal\'s note republishes it)', async () => {
    const failed = await storedRun('failed', 'failed');
    const sse = await openSse(`${w.server.url}/api/v1/events/stream`, { authorization: `Bearer ${w.server.adminToken}` });
    try {
      await sse.waitFor(/: connected/);
      // As a late WhatsApp refusal notes itself on the step (late-fallbacks.ts): the run's stored error goes out with the event.
      expect(await amendStep(w.server.app.services, `${failed}:note`, (entry) => { entry.notes = [...(entry.notes ?? []), 'noted later']; return true; })).toBe(true);
      let event = await sse.next('run.updated');
      while (event.type === 'run.updated' && event.runId !== failed) event = await sse.next('run.updated');
      expect(event).toMatchObject({ type: 'run.updated', runId: failed, status: 'failed', error: MASKED });
      expect(sse.text()).not.toContain(urlToken);
      expect(sse.text()).not.toContain(WA.token);
    } finally {
      sse.close();
    }
  }, 30_000);

  it('an ad account\'s stored last error is listed masked', async () => {
    w.graph.addAdAccount({ id: ADS.id, token: ADS.token, ads: [] });
    const linked = await admin().post('/ads/accounts', { adAccountId: ADS.id, accessToken: ADS.token });
    expect(linked.status, show(linked.body)).toBe(201);
    const stored = `Graph error 190: Error validating access token ${ADS.token} (via ${urlToken})`;
    await sql`update connections set last_error = ${stored} where id = ${linked.body.id}`.execute(w.server.store.db);
    const listed = await admin().get('/ads/accounts');
    expect(listed.status, show(listed.body)).toBe(200);
    expect(show(listed.body)).not.toContain(ADS.token);
    expect(show(listed.body)).not.toContain(urlToken);
    expect(listed.body.accounts[0].lastError).toBe('Graph error 190: Error validating access token [redacted] (via [redacted])');
  }, 30_000);
}
