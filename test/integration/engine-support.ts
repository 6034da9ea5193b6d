import { expect } from 'vitest';
import { Run, RunList } from '../../lib/contracts/runs';
import { Workflow } from '../../lib/contracts/workflow';
import type { WorkflowCreateBody } from '../../lib/contracts/workflow';
import type { z } from 'zod';
import type { TestServer } from '../support/server';
import { inTransaction } from '../../server/events/unit-of-work';
import { createContact, type Cause } from '../../server/domain/contacts';
import { openConversation } from '../../server/domain/conversations';
import { upsertField } from '../../server/domain/fields';
import type { DomainEvent } from '../../lib/contracts/events';
import type { EventInput } from '../../server/events/recorder';

// Builders for the engine suites: workflows through the API (as an admin would), contacts and
// conversations through the domain (so a test can state the event source it needs).

export type WorkflowInput = z.input<typeof WorkflowCreateBody>;

export const shortcutWorkflow = (overrides: Partial<WorkflowInput> = {}): WorkflowInput => ({
  name: 'Refund',
  trigger: { type: 'shortcut', name: 'Refund' },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'Refund' } }],
  ...overrides,
});

export async function createWorkflow(server: TestServer, body: WorkflowInput, publish = true): Promise<Workflow> {
  const admin = server.api(server.adminToken);
  const created = await admin.post('/workflows', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const workflow = Workflow.parse(created.body);
  if (!publish) return workflow;
  const published = await admin.post(`/workflows/${workflow.id}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return Workflow.parse(published.body);
}

export async function runsOf(server: TestServer, workflowId: string): Promise<Run[]> {
  const res = await server.api(server.adminToken).get(`/workflows/${workflowId}/runs`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return RunList.parse(res.body).runs;
}

export async function makeContact(server: TestServer, input: { tags?: string[]; fields?: Record<string, string | number | boolean> } = {}, cause: Cause = { source: 'api' }) {
  return inTransaction(server.app.services.db, (uow) =>
    createContact(uow, server.app.services, { firstName: 'Ada', lastName: 'Lovelace', tags: input.tags ?? [], fields: input.fields ?? {} }, cause));
}

export async function openFor(server: TestServer, contactId: string, cause: Cause = { source: 'user' }) {
  return inTransaction(server.app.services.db, (uow) => openConversation(uow, server.app.services, contactId, cause, 'Hello'));
}

export const defineField = (server: TestServer, key: string) =>
  upsertField(server.app.services.db, { key, label: key, type: 'text', options: [] });

export const parseRun = (body: unknown) => Run.parse(body);

/** Records a domain event as a feature would, in its own transaction; returns what dispatch did. */
export async function record(server: TestServer, event: DomainEvent, input: EventInput = { source: 'api' }) {
  return inTransaction(server.app.services.db, (uow) => server.app.services.events.record(uow, event, input));
}

/** An app row and its installation, as the mini-app feature would leave them. */
export async function installApp(server: TestServer, appId: string, manifest: { triggers: { key: string }[]; actions: { key: string }[] }) {
  const db = server.app.services.db;
  const now = new Date().toISOString();
  await db.insertInto('apps').values({ id: appId, key: appId, manifest: JSON.stringify(manifest), signing_secret: 'whsec_dGVzdA==', created_at: now }).execute();
  await db.insertInto('installations').values({ id: `ins_${appId}`, app_id: appId, auth_values: '{}', token_id: 'tok_x', created_at: now }).execute();
}
