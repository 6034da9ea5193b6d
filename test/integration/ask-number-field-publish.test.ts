import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// Ask a Question with a free answer (text, email…) saved to a number field: most replies are no
// number, and each was dropped at run time with only a note in the run log. respond.io asks for
// such a field with its Number answer type; publishing here refuses the free one, naming the
// step, the field and what to change, while a Number answer (re-asked until it is one) publishes.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const put = await server.api(server.adminToken).put('/fields/employees', { label: 'Employees', type: 'number' });
  expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
});
afterAll(async () => server?.close());

async function publish(answerType: string, saveToField: string) {
  const api = server.api(server.adminToken);
  const draft = await api.post('/workflows', {
    name: 'Company size', trigger: { type: 'conversation_opened' },
    steps: [{ id: 'ask', type: 'ask_question', config: { question: 'How many people work with you?', answerType, saveToField } }],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  return api.post(`/workflows/${draft.body.id}/publish`);
}

describe('publishing Ask a Question saved to a number field', () => {
  it.each(['text', 'email', 'date'])('refuses a %s answer with 422 on the step\'s field, saying to expect a Number', async (answerType) => {
    const res = await publish(answerType, 'employees');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'steps.0.config.saveToField',
      message: `Step 1 ("ask") saves ${answerType === 'email' ? 'an' : 'a'} ${answerType} answer to the number field "Employees" (employees), which would not keep a reply that is no number: set the expected answer to Number (it asks again until the reply is one), or save to another field`,
    });
  });

  it.each([
    ['number', 'employees'],
    ['text', 'firstName'],
  ])('publishes a %s answer saved to %s', async (answerType, field) => {
    const res = await publish(answerType, field);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
