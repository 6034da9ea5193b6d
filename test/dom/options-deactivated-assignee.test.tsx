import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { WorkflowsPage } from '../../components/options/WorkflowsPage';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The workflows list flags a workflow whose Assign step names someone deactivated since: the
// deactivation's answer said so once (workflowsAssigning), but the list showed nothing, while the
// shortcut was unavailable to every agent and each run failed at that step.

const at = '2025-01-01T00:00:00.000Z';
const person = (id: string, name: string, active: boolean) => ({
  id, name, email: `${id}@x.test`, role: 'agent', kind: 'human', shortcutsEnabled: true, createdAt: at, active, deactivatedAt: active ? null : at,
});
const workflow = (id: string, name: string, userId: string, status: 'published' | 'draft') => ({
  id, name, oncePerContact: false, trigger: { type: 'shortcut', name, icon: '⚡', form: { fields: [] } },
  steps: [{ id: 'note', type: 'add_comment', config: { text: 'x' } }, { id: 'hand_over', type: 'assign_to', config: { userId } }],
  status, version: 1, createdAt: at, updatedAt: at, publishedAt: status === 'published' ? at : null, triggerType: 'shortcut', lastRunAt: null,
});

describe('the workflows list', () => {
  it('flags the workflows that assign to someone deactivated, saying what it does, with the way to fix it', async () => {
    serveApi({
      'GET /workflows?limit=50': ok({ workflows: [
        workflow('wf_1', 'Escalate', 'usr_hana', 'published'), workflow('wf_2', 'Hand to Ava', 'usr_ava', 'published'), workflow('wf_3', 'Draft escalate', 'usr_hana', 'draft'),
      ], nextCursor: null }),
      'GET /users': ok({ users: [person('usr_ava', 'Ava Agent', true), person('usr_hana', 'Hana Agent', false)] }),
    });
    renderWithProviders(<WorkflowsPage />);
    const row = (name: string) => screen.getByRole('link', { name }).closest('tr')!;
    await screen.findAllByTestId('workflow-deactivated-assignee');
    expect(within(row('Escalate')).getByTestId('workflow-deactivated-assignee').textContent)
      .toBe('It assigns to Hana Agent, who is deactivated (step “hand_over”): its runs fail there and agents see the shortcut as unavailable. Choose someone else');
    expect(within(row('Escalate')).getByRole('link', { name: 'Choose someone else in “Escalate”' }).getAttribute('href')).toBe('#/workflows/wf_1');
    expect(within(row('Draft escalate')).getByTestId('workflow-deactivated-assignee').textContent).toContain('publishing is refused');
    expect(within(row('Hand to Ava')).queryByTestId('workflow-deactivated-assignee')).toBeNull();
  });
});
