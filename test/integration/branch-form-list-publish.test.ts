import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A Branch on a shortcut form's list field ("{{$trigger.size}} is XL" where the form offers S, M
// and L) could never hold, and the run went to else without a word: the form only takes its
// options. Publishing refuses a written value that is none of them, on the condition's value,
// naming the form field and its options (a contact list field's is only noted: contacts keep a
// removed option's value, branch-retired-option.test.ts).

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => server?.close());

const trigger = {
  type: 'shortcut', name: 'Order a shirt',
  form: { fields: [{ label: 'Size', type: 'list', variable: 'size', options: ['S', 'M', 'L'] }, { label: 'Note', type: 'text', variable: 'note' }] },
};

async function publish(left: string, operator: string, right: string) {
  const api = server.api(server.adminToken);
  const draft = await api.post('/workflows', {
    name: 'Route by size', trigger,
    steps: [
      { id: 'route', type: 'branch', config: { branches: [{ name: 'Big', conditions: { logic: 'and', rules: [{ left, operator, right }] }, goTo: 'note' }] } },
      { id: 'note', type: 'add_comment', config: { text: 'Big one' } },
    ],
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  return api.post(`/workflows/${draft.body.id}/publish`);
}

describe('publishing a Branch on a shortcut form\'s list field', () => {
  it.each([
    ['is', 'never'],
    ['is_not', 'always'],
  ])('refuses "%s XL" with 422 on the condition\'s value, naming the form field\'s options', async (operator, when) => {
    const res = await publish('{{$trigger.size}}', operator, 'XL');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toContainEqual({
      path: 'steps.0.config.branches.0.conditions.rules.0.right',
      message: `The form field "Size" is one of S, M, L: "XL" is none of them, so this condition would ${when} hold; enter one of its options`,
    });
  });

  it.each([
    ['{{$trigger.size}}', 'is', 'l'],
    ['{{$trigger.size}}', 'contains', 'XL'],
    ['{{$trigger.size}}', 'is', '{{$trigger.note}}'],
    ['{{$trigger.note}}', 'is', 'XL'],
  ])('publishes "%s %s %s"', async (left, operator, right) => {
    const res = await publish(left, operator, right);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
