import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../lib/contracts/errors';
import { LaunchResult } from '../../lib/contracts/shortcuts';
import { startTestServer, type TestServer } from '../support/server';
import { createWorkflow, makeContact, openFor, parseRun, shortcutWorkflow } from './engine-support';

// POST /shortcuts/:id/launch reads a number field as the extension's form does (one schema,
// lib/workflow/form-schema.ts): a JSON number as it is, a text as Ask a Question reads answers,
// an ambiguous "1,250" refused with the hint the form shows.

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ workers: false }); });
afterEach(async () => { await server.close(); });

async function launcher() {
  const wf = await createWorkflow(server, shortcutWorkflow({
    name: 'Log a return',
    trigger: { type: 'shortcut', name: 'Log a return', icon: '↩️', form: { fields: [{ label: 'Refund amount', type: 'number', variable: 'amount', required: true }] } },
  }));
  const conversation = await openFor(server, (await makeContact(server)).id);
  return (amount: unknown) => server.api(server.adminToken).post(`/shortcuts/${wf.id}/launch`, { conversationId: conversation.id, values: { amount } });
}

describe('a shortcut form number value on launch', () => {
  it.each([
    [19.99, 19.99],
    ['19,99', 19.99],
    ['19.99', 19.99],
    ['1.250,50', 1250.5],
    ['1,250.50', 1250.5],
    [' 1250 ', 1250],
  ])('%j runs with amount %s', async (sent, amount) => {
    const launch = await launcher();
    const res = await launch(sent);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = parseRun((await server.api(server.adminToken).get(`/runs/${LaunchResult.parse(res.body).runId}`)).body);
    expect(run.variables).toMatchObject({ trigger: { amount } });
  });

  it.each([
    ['1,250', '"1,250" could be 1250 or 1.25: please write the number without a separator (1250) or with its decimals (1,250.00).'],
    ['1.250', '"1.250" could be 1250 or 1,25: please write the number without a separator (1250) or with its decimals (1.250,00).'],
    ['1e3', 'Enter a number, e.g. 42 or 3.5'],
    [true, 'Enter a number, e.g. 42 or 3.5'],
  ])('%j is refused with a 422 saying what to write', async (sent, message) => {
    const launch = await launcher();
    const res = await launch(sent);
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(res.body).error.details).toEqual([{ path: 'values.amount', message }]);
    expect(await server.events('shortcut.launched')).toEqual([]);
  });
});
