import { expect, it } from 'vitest';
import type { RunningServer } from '../../../server/server';
import { describePg, pgInstances } from '../../support/postgres';

// Each instance keeps webhook URLs' workflows in memory (hook-workflows.ts); a change made
// through another instance must reach it through the database, not wait for the cache to expire.
describePg('webhook URL cache across two instances (PostgreSQL)', () => {
  const instances = pgInstances(2);

  it('an unpublish or a new URL made on one instance stops deliveries on the other within a second', async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const token = a.tokens.admin!;
    const call = async (server: RunningServer, method: string, p: string, body?: unknown, auth = true) => {
      const res = await fetch(server.url + p, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      });
      return { status: res.status, body: await res.json().catch(() => undefined) as any };
    };
    expect((await call(a, 'POST', '/api/v1/contacts', { phone: '+14155550123' })).status).toBe(201);
    const created = await call(a, 'POST', '/api/v1/workflows', {
      name: 'Order shipped',
      trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [] },
      steps: [{ id: 'note', type: 'add_comment', config: { text: 'shipped' } }],
    });
    expect(created.status).toBe(201);
    expect((await call(a, 'POST', `/api/v1/workflows/${created.body.id}/publish`)).status).toBe(200);
    const hook = new URL(created.body.trigger.url as string).pathname;
    const deliver = (p: string) => call(a, 'POST', p, { phone: '+14155550123' }, false);
    // Within a second, well before the cache's own 5 s: the announcement carried it.
    const becomes = async (p: string, status: number) => {
      const until = Date.now() + 1_000;
      for (;;) {
        const got = (await deliver(p)).status;
        if (got === status || Date.now() > until) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    expect((await deliver(hook)).status).toBe(202); // a has it in memory now
    expect((await call(b, 'POST', `/api/v1/workflows/${created.body.id}/unpublish`)).status).toBe(200);
    expect(await becomes(hook, 404)).toBe(404);

    expect((await call(b, 'POST', `/api/v1/workflows/${created.body.id}/publish`)).status).toBe(200);
    expect(await becomes(hook, 202)).toBe(202);
    const regenerated = await call(b, 'POST', `/api/v1/workflows/${created.body.id}/webhook/regenerate`);
    expect(regenerated.status).toBe(200);
    expect(await becomes(hook, 404)).toBe(404);
    expect((await deliver(new URL(regenerated.body.url as string).pathname)).status).toBe(202);
  });
});
