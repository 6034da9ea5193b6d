import { describe, expect, it } from 'vitest';
import { withPlanListField } from '../support/plan-list-field';

// A Branch on a contact list field compared with a typed value that is none of the field's
// options ("plan is vip" where Plan is Free, Pro or Enterprise) publishes: contacts keep a value
// after its option is removed, and connectors mirror values from elsewhere, so such a condition
// may well hold (branch-retired-option.test.ts). The editor notes it instead
// (options-branch-list-field.test.tsx); a shortcut form's list field is still refused.

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
    ['is', 'vip'],
    ['is_not', 'vip'],
    ['is', 'enterprise'],
    ['is', '{{$contact.lastName}}'],
    ['contains', 'vip'],
  ])('publishes "%s %s"', async (operator, right) => {
    const res = await publish(operator, right);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
