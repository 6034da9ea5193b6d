import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Ask a Question saving a free answer to a date or list contact field: a text reply is rarely
// YYYY-MM-DD or one of the list's options, and each was dropped at run time with only a note in
// the run log. As for number fields (ask-number-field-publish.test.ts), publishing refuses it,
// naming the step, the field and the answer type to choose instead (Date; Choice with the options).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const api = server.api(server.adminToken);
  for (const [key, body] of [
    ['renewal', { label: 'Renewal date', type: 'date' }],
    ['plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro'] }],
  ] as const) {
    const put = await api.put(`/fields/${key}`, body);
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  }
});
afterAll(async () => server?.close());

async function publish(config: Record<string, unknown>) {
  const api = server.api(server.adminToken);
  const draft = await api.post('/workflows', {
    name: 'Renewal', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'When do you renew?', ...config } }],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  return api.post(`/workflows/${draft.body.id}/publish`);
}

const DATE_ADVICE = 'which would not keep a reply that is no date: set the expected answer to Date (it asks again until the reply is one), or save to another field';
const LIST_ADVICE = 'which keeps only one of its options (Free, Pro): set the expected answer to Choice with those options, or save to another field';

describe('publishing Ask a Question saved to a date or list field', () => {
  it.each([
    ['text', 'renewal', `Step 1 ("ask") saves a text answer to the date field "Renewal date" (renewal), ${DATE_ADVICE}`],
    ['number', 'renewal', `Step 1 ("ask") saves a number answer to the date field "Renewal date" (renewal), ${DATE_ADVICE}`],
    ['text', 'plan', `Step 1 ("ask") saves a text answer to the list field "Plan" (plan), ${LIST_ADVICE}`],
    ['email', 'plan', `Step 1 ("ask") saves an email answer to the list field "Plan" (plan), ${LIST_ADVICE}`],
  ])('refuses a %s answer saved to %s with 422 on the step\'s field, saying what to choose', async (answerType, saveToField, message) => {
    const res = await publish({ answerType, saveToField });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({ path: 'steps.0.config.saveToField', message });
  });

  it.each([
    [{ answerType: 'date', saveToField: 'renewal' }],
    [{ answerType: 'choice', choices: ['Free', 'Pro'], saveToField: 'plan' }],
  ])('publishes %j', async (config) => {
    const res = await publish(config);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
