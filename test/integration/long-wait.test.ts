import { afterEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { createWorkflow, runsOf } from './engine-support';

// A Wait of weeks (up to 90 days is allowed) is past Node's longest timer, 2^31 ms (24.8 days):
// the executor's wake-up timer for it fired at once, with a TimeoutOverflowWarning in the log.
let server: TestServer;
afterEach(async () => { await server.close(); });

it('a run waiting 30 days sets no timer Node cannot hold: no TimeoutOverflowWarning, the run waits', async () => {
  const warnings: Error[] = [];
  const listen = (w: Error) => { if (w.name === 'TimeoutOverflowWarning') warnings.push(w); };
  process.on('warning', listen);
  try {
    server = await startTestServer();
    const flow = await createWorkflow(server, { name: 'Follow up in a month', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['trial'] }, steps: [{ id: 'w', type: 'wait', config: { seconds: 30 * 86_400 } }, { id: 'c', type: 'add_comment', config: { text: 'A month later' } }] });
    const contact = await server.api(server.adminToken).post('/contacts', { firstName: 'Jane', phone: '+34600111222' });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    expect((await server.api(server.adminToken).post(`/contacts/${contact.body.id}/tags`, { tags: ['trial'] })).status).toBeLessThan(300);
    const [run] = await waitFor('the waiting run', async () => {
      const runs = await runsOf(server, flow.id);
      return runs[0]?.status === 'waiting' ? runs : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(warnings).toEqual([]);
    expect((await runsOf(server, flow.id)).map((r) => r.status)).toEqual(['waiting']);
    expect(run!.status).toBe('waiting');
  } finally {
    process.off('warning', listen);
  }
});
