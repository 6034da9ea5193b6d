import { describe, expect, it } from 'vitest';
import { Contact } from '../../lib/contracts/contacts';
import { ConversationList } from '../../lib/contracts/conversations';
import { ShortcutList } from '../../lib/contracts/shortcuts';
import { WorkflowSummaryList } from '../../server/engine/workflows/queries';
import type { StepInput } from '../../lib/contracts/steps';
import type { TriggerInput } from '../../lib/contracts/triggers';
import { waitForRun } from '../support/builders';
import { startTestServer, type Api, type TestServer } from '../support/server';
import { createWorkflow, parseRun, runsOf } from './engine-support';
import { eachAdminServer } from '../support/each-server';

/**
 * Registered by settings-in-use.test.ts (SQLite) and settings-in-use.pg.test.ts (PostgreSQL):
 * `databaseUrl` undefined means SQLite. Settings that published workflows rely on (contact fields,
 * closing categories) cannot be taken from under them: 409 naming the workflows, as for
 * lifecycle stages; and a close step is published only on a category that exists (422).
 */
export function settingsInUseSuite(databaseUrl: () => string | undefined) {
  let server: TestServer;
  let admin: Api;
  eachAdminServer(databaseUrl, (s, a) => { server = s; admin = a; });

  const onTag: TriggerInput = { type: 'contact_tag_updated', action: 'added', tags: ['go'] };
  const note = (id: string, text: string): StepInput => ({ id, type: 'add_comment', config: { text } });
  const fieldKeys = async () => ((await admin.get('/fields')).body.fields as { key: string }[]).map((f) => f.key);
  const definePlan = async () => expect((await admin.put('/fields/plan', { label: 'Plan', type: 'text' })).status).toBe(200);

  /** A contact with an open conversation, tagged `go`: the run the tag starts in `workflowId`, once it is in one of `statuses`. */
  async function runOnTag(workflowId: string, statuses: ('waiting' | 'completed' | 'failed')[]) {
    const contact = Contact.parse((await admin.post('/contacts', { firstName: 'Ana' })).body);
    expect((await admin.post('/conversations', { contactId: contact.id })).status).toBe(201);
    expect((await admin.post(`/contacts/${contact.id}/tags`, { tags: ['go'] })).status).toBe(200);
    let runs = await runsOf(server, workflowId);
    for (let i = 0; i < 200 && runs.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      runs = await runsOf(server, workflowId);
    }
    expect(runs).toHaveLength(1);
    return waitForRun(server.app.services.db, runs[0]!.id, statuses);
  }

  describe('deleting a contact field', () => {
    it.each<[string, TriggerInput, StepInput[], string]>([
      ['an Update contact field step sets it', onTag, [{ id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Pro' } }], 'step "set"'],
      ['an Ask a Question step saves the answer to it', onTag,
        [{ id: 'ask', type: 'ask_question', config: { question: 'Which plan?', answerType: 'text', saveToField: 'plan' } } as StepInput], 'step "ask"'],
      ['a branch condition reads it', onTag, [
        { id: 'check', type: 'branch', config: { branches: [{ name: 'Pro', conditions: { logic: 'and', rules: [{ left: '{{$contact.fields.plan}}', operator: 'is', right: 'Pro' }] }, goTo: 'end' }] } },
        note('end', 'done'),
      ], 'step "check"'],
      ['a message template reads it', onTag, [note('note', 'Plan: {{$contact.fields.plan}}')], 'step "note"'],
      ['a close step\'s summary reads it', onTag, [{ id: 'close', type: 'close_conversation', config: { summary: 'Closed on {{$contact.fields.plan}}' } }], 'step "close"'],
      ['a Contact Field Updated trigger watches it', { type: 'contact_field_updated', field: 'plan' }, [note('note', 'changed')], 'its trigger'],
    ])('refuses it while %s in a published workflow (409 naming the workflow), not once unpublished', async (_how, trigger, steps, where) => {
      await definePlan();
      const wf = await createWorkflow(server, { name: 'Uses plan', trigger, steps });
      const refused = await admin.del('/fields/plan');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        `Field "plan" is used by published workflows; change or unpublish them first: "Uses plan" (${wf.id}) uses "plan" in ${where}`);
      expect(await fieldKeys()).toContain('plan');

      expect((await admin.post(`/workflows/${wf.id}/unpublish`)).status).toBe(200);
      expect((await admin.del('/fields/plan')).status).toBe(204);
      expect(await fieldKeys()).not.toContain('plan');
    });

    it('names every published workflow that uses it, and ignores other fields\' references', async () => {
      await definePlan();
      expect((await admin.put('/fields/plan_b', { label: 'Plan B', type: 'text' })).status).toBe(200);
      const setter = await createWorkflow(server, { name: 'Setter', trigger: onTag, steps: [{ id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Pro' } }, note('say', '{{$contact.fields.plan}}')] });
      const watcher = await createWorkflow(server, { name: 'Watcher', trigger: { type: 'contact_field_updated', field: 'plan' }, steps: [note('say', 'x')] });
      await createWorkflow(server, { name: 'Other', trigger: onTag, steps: [note('say', '{{$contact.fields.plan_b}}')] });
      const refused = await admin.del('/fields/plan');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(`"Setter" (${setter.id}) uses "plan" in step "set", step "say"; "Watcher" (${watcher.id}) uses "plan" in its trigger`);
      expect(refused.body.error.message).not.toContain('Other');
      expect((await admin.del('/fields/plan_b')).status).toBe(409);
    });

    it('lets a draft keep it: the field goes, and publishing the draft names it (422)', async () => {
      await definePlan();
      const draft = await createWorkflow(server, { name: 'Draft', trigger: onTag, steps: [{ id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Pro' } }] }, false);
      expect((await admin.del('/fields/plan')).status).toBe(204);
      const publish = await admin.post(`/workflows/${draft.id}/publish`);
      expect(publish.status).toBe(422);
      expect(publish.body.error.details).toContainEqual({ path: 'steps.0.config.field', message: 'There is no contact field "plan"; define it first' });
    });

    it('removes its values from every contact once nobody uses it; other values stay, and a field defined again starts empty', async () => {
      await definePlan();
      expect((await admin.put('/fields/score', { label: 'Score', type: 'number' })).status).toBe(200);
      const both = Contact.parse((await admin.post('/contacts', { firstName: 'Ana', fields: { plan: 'Pro', score: 3 } })).body);
      const scoreOnly = Contact.parse((await admin.post('/contacts', { firstName: 'Bo', fields: { score: 1 } })).body);

      expect((await admin.del('/fields/plan')).status).toBe(204);
      expect((await admin.get(`/contacts/${both.id}`)).body.fields).toEqual({ score: 3 });
      expect((await admin.get(`/contacts/${scoreOnly.id}`)).body.fields).toEqual({ score: 1 });
      const listed = (await admin.get('/contacts')).body.contacts as Contact[];
      expect(listed.find((c) => c.id === both.id)?.fields).toEqual({ score: 3 });

      await definePlan();
      expect((await admin.get(`/contacts/${both.id}`)).body.fields).toEqual({ score: 3 });
      expect((await admin.del('/fields/nothing_here')).status).toBe(404);
    });

    it('refuses it while an unfinished run follows an earlier version that sets it; cancelling the run lets it go', async () => {
      await definePlan();
      const wf = await createWorkflow(server, { name: 'Slow', trigger: onTag, steps: [
        { id: 'pause', type: 'wait', config: { seconds: 3600 } },
        { id: 'set', type: 'update_contact_field', config: { field: 'plan', value: 'Pro' } },
      ] });
      const run = await runOnTag(wf.id, ['waiting']);
      // The workflow no longer uses the field; the waiting run still follows version 1, which does.
      const edited = await admin.put(`/workflows/${wf.id}`, { name: 'Slow', trigger: onTag, steps: [{ id: 'pause', type: 'wait', config: { seconds: 3600 } }] });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      const refused = await admin.del('/fields/plan');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        `Field "plan" is used by earlier workflow versions that unfinished runs follow; let those runs finish or cancel them first: "Slow" (${wf.id}) version 1 uses "plan" in step "set" (1 run)`);

      expect((await admin.post(`/runs/${run.id}/cancel`)).status).toBe(200);
      expect((await admin.del('/fields/plan')).status).toBe(204);
    });

    it('refuses deleting the field the demo shortcut "Schedule callback" writes, which then still launches and sets it', async () => {
      const demo = await startTestServer({ databaseUrl: databaseUrl(), env: { COMPANION_DEMO: '1' } });
      try {
        const api = demo.api(demo.adminToken);
        const { shortcuts } = ShortcutList.parse((await api.get('/shortcuts')).body);
        const callback = shortcuts.find((s) => s.name === 'Schedule callback')!;
        const { workflows } = WorkflowSummaryList.parse((await api.get('/workflows')).body);
        const workflow = workflows.find((w) => w.name === 'Schedule callback')!;
        const refused = await api.del('/fields/callback_date');
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toBe(
          `Field "callback_date" is used by published workflows; change or unpublish them first: "Schedule callback" (${workflow.id}) uses "callback_date" in step "date"`);

        const { conversations } = ConversationList.parse((await api.get('/conversations?status=open')).body);
        const conversation = conversations[0]!;
        const launched = await api.post(`/shortcuts/${callback.id}/launch`, {
          conversationId: conversation.id, values: { callbackDate: '2030-05-01', callbackTime: '10:30', callbackPhone: '+14155550123' },
        });
        expect(launched.status, JSON.stringify(launched.body)).toBe(202);
        const run = await waitForRun(demo.app.services.db, parseRun((await api.get(`/runs/${launched.body.runId}`)).body).id);
        expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
        expect((await api.get(`/contacts/${conversation.contactId}`)).body.fields).toMatchObject({ callback_date: '2030-05-01' });
      } finally {
        await demo.close();
      }
    });
  });

  describe('closing categories', () => {
    const closeWith = (name: string, category: string, trigger: TriggerInput = onTag) =>
      ({ name, trigger, steps: [{ id: 'close', type: 'close_conversation' as const, config: { category } }] });
    const setCategories = async (categories: string[]) =>
      expect((await admin.put('/settings/closing-categories', { categories })).status).toBe(200);

    it('publishes a close step only on a category that exists (422 naming the step and the categories)', async () => {
      await setCategories(['Resolved', 'Spam']);
      const created = await admin.post('/workflows', { ...closeWith('Bad close', 'Nope'), status: 'published' });
      expect(created.status).toBe(422);
      expect(created.body.error.details).toContainEqual({
        path: 'body.steps.0.config.category',
        message: 'Step 1 ("close") closes with category "Nope", which does not exist; use one of: Resolved, Spam',
      });

      const draft = await createWorkflow(server, closeWith('Bad close', 'Nope'), false);
      const publish = await admin.post(`/workflows/${draft.id}/publish`);
      expect(publish.status).toBe(422);
      expect(publish.body.error.message).toContain('steps.0.config.category: Step 1 ("close") closes with category "Nope", which does not exist; use one of: Resolved, Spam');
      await createWorkflow(server, closeWith('Good close', 'Spam'));
    });

    it('refuses removing (or renaming) a category a published close step uses (409 naming the workflow); drafts do not hold it', async () => {
      await setCategories(['Resolved', 'Spam']);
      const wf = await createWorkflow(server, closeWith('Spam filter', 'Spam'));
      for (const next of [['Resolved'], ['Resolved', 'Junk']]) {
        const refused = await admin.put('/settings/closing-categories', { categories: next });
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toBe(
          `These categories are used by published workflows; change those triggers and steps first: "Spam filter" (${wf.id}) uses "Spam" in step "close"`);
      }
      expect((await admin.get('/settings/closing-categories')).body.categories).toEqual(['Resolved', 'Spam']);
      await setCategories(['Spam', 'Resolved', 'Refund issued']);

      expect((await admin.post(`/workflows/${wf.id}/unpublish`)).status).toBe(200);
      await setCategories(['Resolved']);
    });

    it('names the trigger and the step of one workflow together', async () => {
      await setCategories(['Resolved', 'Spam']);
      const closed: TriggerInput = { type: 'conversation_closed', conditions: { logic: 'or', rules: [{ field: 'category', operator: 'is', value: 'Resolved' }] } };
      const wf = await createWorkflow(server, { name: 'Both', trigger: closed, steps: [{ id: 'open', type: 'open_conversation', config: {} }, { id: 'close', type: 'close_conversation', config: { category: 'Spam' } }] });
      const refused = await admin.put('/settings/closing-categories', { categories: [] });
      expect(refused.status).toBe(409);
      // Emptying the list lets a close take any category (the step is fine), but a trigger only fires on a listed one.
      expect(refused.body.error.message).toContain(`"Both" (${wf.id}) uses "Resolved" in its trigger`);
      expect(refused.body.error.message).not.toContain('"Spam"');
      const renamed = await admin.put('/settings/closing-categories', { categories: ['Solved'] });
      expect(renamed.body.error.message).toContain(`"Both" (${wf.id}) uses "Resolved" in its trigger, "Spam" in step "close"`);
    });

    it('with no categories listed a close step takes any; listing some is then refused unless they include it', async () => {
      const wf = await createWorkflow(server, closeWith('Any close', 'Handled'));
      const refused = await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(`"Any close" (${wf.id}) uses "Handled" in step "close"`);
      await setCategories(['Resolved', 'Handled']);
      const run = await runOnTag(wf.id, ['completed', 'failed']);
      expect(run.status, JSON.stringify(run.stepLog)).toBe('completed');
      expect(run.stepLog[0]).toMatchObject({ stepId: 'close', output: { closed: true, category: 'Handled' } });
    });

    it('refuses removing a category while an unfinished run follows an earlier version whose close step names it', async () => {
      await setCategories(['Resolved', 'Spam']);
      const wf = await createWorkflow(server, { name: 'Later', trigger: onTag, steps: [
        { id: 'pause', type: 'wait', config: { seconds: 3600 } },
        { id: 'close', type: 'close_conversation', config: { category: 'Spam' } },
      ] });
      const run = await runOnTag(wf.id, ['waiting']);
      expect((await admin.put(`/workflows/${wf.id}`, { name: 'Later', trigger: onTag, steps: [{ id: 'pause', type: 'wait', config: { seconds: 3600 } }] })).status).toBe(200);
      const refused = await admin.put('/settings/closing-categories', { categories: ['Resolved'] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        `These categories are used by earlier workflow versions that unfinished runs follow; let those runs finish or cancel them first: "Later" (${wf.id}) version 1 uses "Spam" in step "close" (1 run)`);
      expect((await admin.post(`/runs/${run.id}/cancel`)).status).toBe(200);
      await setCategories(['Resolved']);
    });
  });
}
