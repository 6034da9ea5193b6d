import { describe, expect, it } from 'vitest';
import { withPlanListField } from '../support/plan-list-field';

// Ask a Question with choices, saving the answer to a list field whose options are other words:
// every answer was dropped at run time with only a note in the run log. Publishing refuses it,
// naming the step, the field, the choices it cannot hold and what it takes; choices the field
// holds (in any case, as a run saves them) publish.

const server = withPlanListField();

const definition = (choices: string[], saveToField = 'plan') => ({
  name: 'Which plan', trigger: { type: 'conversation_opened' },
  steps: [{ id: 'ask', type: 'ask_question', config: { question: 'Which plan?', answerType: 'choice', choices, presentation: 'buttons', saveToField } }],
});

async function publish(choices: string[], saveToField?: string) {
  const api = server().api(server().adminToken);
  const draft = await api.post('/workflows', definition(choices, saveToField));
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  return api.post(`/workflows/${draft.body.id}/publish`);
}

describe('publishing Ask a Question with choices saved to a contact field', () => {
  it('refuses choices the list field cannot hold, with 422 on the step\'s field naming them', async () => {
    const res = await publish(['Sales', 'Pro', 'Billing']);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'steps.0.config.saveToField',
      message: 'Step 1 ("ask") saves the answer to "plan" (list), which cannot hold the choices "Sales", "Billing" ("Sales": Expected one of: Free, Pro, Enterprise): change the choices or the field',
    });
  });

  it('refuses a choice the email field cannot hold', async () => {
    const res = await publish(['Yes', 'No'], 'email');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(JSON.stringify(res.body.error.details)).toContain('saves the answer to \\"email\\", which cannot hold the choices \\"Yes\\", \\"No\\"');
  });

  it('publishes choices the field holds, in any case', async () => {
    const res = await publish(['free', 'PRO', 'Enterprise']);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
