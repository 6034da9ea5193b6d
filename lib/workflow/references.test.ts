import { describe, expect, it } from 'vitest';
import { WorkflowDefinition } from '../contracts/workflow';
import { customFieldUses, idReferences, rewriteIds } from './references';

const def = WorkflowDefinition.parse({
  name: 'Everything',
  trigger: { type: 'mini_app', appId: 'app_1', triggerKey: 'paid' },
  steps: [
    { id: 'assign', type: 'assign_to', config: { userId: 'usr_1' } },
    { id: 'nobody', type: 'assign_to', config: { userId: 'unassign' } },
    { id: 'act', type: 'mini_app_action', config: { appId: 'app_2', actionKey: 'refund' } },
    { id: 'call', type: 'trigger_workflow', config: { workflowId: 'wf_1' } },
    { id: 'set', type: 'update_contact_field', config: { field: 'tier', value: '{{$contact.fields.plan}}' } },
    { id: 'mail', type: 'update_contact_field', config: { field: 'email', value: 'a@b.co' } },
    { id: 'note', type: 'add_comment', config: { text: 'Order {{$contact.fields.order_id}} for {{$contact.firstName}}' } },
  ],
});

describe('workflow references', () => {
  it('lists every user, app and workflow id, with where', () => {
    expect(idReferences(def).map((r) => [r.kind, r.id, r.path, r.where])).toEqual([
      ['app', 'app_1', 'trigger.appId', 'the trigger'],
      ['user', 'usr_1', 'steps.0.config.userId', 'step "assign" (assign_to)'],
      ['app', 'app_2', 'steps.2.config.appId', 'step "act" (mini_app_action)'],
      ['workflow', 'wf_1', 'steps.3.config.workflowId', 'step "call" (trigger_workflow)'],
    ]);
  });

  it('rewrites the ids it is given and keeps the rest', () => {
    const map: Record<string, string> = { 'app:app_1': 'app_A', 'user:usr_1': 'usr_A', 'workflow:wf_1': 'wf_A' };
    const out = rewriteIds(def, (kind, id) => map[`${kind}:${id}`]);
    expect(idReferences(out).map((r) => r.id)).toEqual(['app_A', 'usr_A', 'app_2', 'wf_A']);
    expect(out.steps[1]).toEqual(def.steps[1]);
    expect(out.steps.slice(4)).toEqual(def.steps.slice(4));
  });

  it('finds the custom fields used, not the standard ones', () => {
    expect(customFieldUses(def).map((u) => [u.key, u.path])).toEqual([
      ['tier', 'steps.4.config.field'], ['plan', 'steps.4.config'], ['order_id', 'steps.6.config'],
    ]);
  });
});
