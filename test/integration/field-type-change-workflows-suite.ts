import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// A contact field changed to Number, Date or List after workflows using it were published: the
// publish check would now refuse them (a free-text question saving to it, a value it cannot
// hold), and every run would fail on it. The change is saved (the admin means it), and its answer
// names those workflows with what to fix, as respond.io warns; workflows unaffected are not named.

/** Run on SQLite (`databaseUrl` gives undefined) and on PostgreSQL. */
export function fieldTypeChangeSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  const admin = () => server.api(server.adminToken);
  const ids: Record<string, string> = {};

  async function published(name: string, steps: unknown[]) {
    const draft = await admin().post('/workflows', { name, trigger: { type: 'conversation_opened' }, steps });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const res = await admin().post(`/workflows/${draft.body.id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids[name] = draft.body.id;
  }

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl(), workers: false });
    for (const key of ['employees', 'renewal', 'plan']) expect((await admin().put(`/fields/${key}`, { label: key, type: 'text' })).status).toBe(200);
    await published('Company size', [{ id: 'ask', type: 'ask_question', config: { question: 'How many people?', answerType: 'text', saveToField: 'employees' } }]);
    await published('Greets', [{ id: 'hello', type: 'add_comment', config: { text: 'Works at {{$contact.fields.employees}}' } }]);
    await published('Renewal', [{ id: 'when', type: 'ask_question', config: { question: 'When?', answerType: 'text', saveToField: 'renewal' } }]);
    await published('Upgrade', [{ id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Gold' } }]);
  });
  afterAll(async () => server?.close());

  describe('changing a field that published workflows use', () => {
    it.each([
      ['employees', { label: 'Employees', type: 'number' }, 'Company size',
        'Step 1 ("ask") saves a text answer to the number field "Employees" (employees), which would not keep a reply that is no number: set the expected answer to Number (it asks again until the reply is one), or save to another field'],
      ['renewal', { label: 'Renewal', type: 'date' }, 'Renewal',
        'Step 1 ("when") saves a text answer to the date field "Renewal" (renewal), which would not keep a reply that is no date: set the expected answer to Date (it asks again until the reply is one), or save to another field'],
      ['plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro'] }, 'Upgrade',
        'Step 1 ("set") cannot set "plan" (list): "Gold": Expected one of: Free, Pro'],
    ])('saves %s as %j and names the workflow it breaks, with what to fix', async (key, body, name, problem) => {
      const res = await admin().put(`/fields/${key}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ key, ...body });
      expect(res.body.brokenWorkflows).toEqual([{ id: ids[name], name, problems: [problem] }]);
      expect((await admin().get(`/workflows/${ids[name]}`)).body.status).toBe('published');
    });

    it('names none when only the label changes, or for a new field', async () => {
      expect((await admin().put('/fields/employees', { label: 'Headcount', type: 'number' })).body.brokenWorkflows).toEqual([]);
      expect((await admin().put('/fields/fresh', { label: 'Fresh', type: 'number' })).body.brokenWorkflows).toEqual([]);
    });
  });
}
