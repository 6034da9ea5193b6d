import { describe, expect, it } from 'vitest';
import { withPlanListField } from '../support/plan-list-field';

// A Branch on a list field compared with a typed value that is none of the field's options
// ("plan is vip" where Plan is Free, Pro or Enterprise) never matched, and the run went to else
// without a word. respond.io offers the field's options there; publishing here refuses a value
// that is none of them, on the condition's value, naming the options. Any case of an option, a
// variable, or another operator publishes.

const server = withPlanListField();

async function publish(operator: string, right: string) {
  const api = server().api(server().adminToken);
  const draft = await api.post('/workflows', {
    name: 'Route by plan', trigger: { type: 'conversation_opened' },
    steps: [
      { id: 'route', type: 'branch', config: { branches: [{ name: 'VIP', conditions: { logic: 'and', rules: [{ left: '{{$contact.fields.plan}}', operator, right }] }, goTo: 'note' }] } },
      { id: 'note', type: 'add_comment', config: { text: 'VIP' } },
    ],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  return api.post(`/workflows/${draft.body.id}/publish`);
}

describe('publishing a Branch on a list field', () => {
  it.each([
    ['is', 'never'],
    ['is_not', 'always'],
  ])('refuses "%s vip" with 422 on the condition\'s value, naming the options', async (operator, when) => {
    const res = await publish(operator, 'vip');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'steps.0.config.branches.0.conditions.rules.0.right',
      message: `The field "Plan" is one of Free, Pro, Enterprise: "vip" is none of them, so this condition would ${when} hold; enter one of its options`,
    });
  });

  it.each([
    ['is', 'enterprise'],
    ['is', '{{$contact.lastName}}'],
    ['contains', 'vip'],
  ])('publishes "%s %s"', async (operator, right) => {
    const res = await publish(operator, right);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
