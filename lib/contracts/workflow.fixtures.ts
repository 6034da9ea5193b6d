import { type StepInput, type StepType, Step } from './steps';
import { type TriggerInput, Trigger } from './triggers';
import { type WorkflowDefinitionInput, WorkflowDefinition } from './workflow';

// Test data builders: valid by default, override what the test is about.

const defaultConfigs: { [T in StepType]: Extract<StepInput, { type: T }>['config'] } = {
  send_message: { text: 'Hello {{$contact.firstName}}' },
  add_comment: { text: 'Note' },
  update_contact_tag: { action: 'add', tags: ['vip'] },
  update_contact_field: { field: 'plan', value: 'pro' },
  assign_to: { userId: 'unassign' },
  open_conversation: {},
  close_conversation: {},
  branch: {
    branches: [
      {
        name: 'VIP',
        conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'vip' }] },
        goTo: 'end',
      },
    ],
  },
  wait: { seconds: 60 },
  jump_to: { stepId: 'end' },
  http_request: { method: 'GET', url: 'https://example.com/orders' },
  trigger_workflow: { workflowId: 'wf_other' },
  mini_app_action: { appId: 'app_1', actionKey: 'create_ticket' },
  date_time: { timeZone: 'Europe/Madrid', schedule: { mode: 'dates', dates: ['2026-12-25'] } },
  update_lifecycle_stage: { stage: 'Customer' },
  ask_question: { question: 'Your order number?', answerType: 'number' },
};

export function makeStep<T extends StepType>(
  type: T,
  config: Partial<Extract<StepInput, { type: T }>['config']> = {},
  id: string = `${type}_1`,
): Step {
  return Step.parse({ id, type, config: { ...defaultConfigs[type], ...config } });
}

export function makeTrigger(trigger: TriggerInput = { type: 'shortcut', name: 'Refund' }): Trigger {
  return Trigger.parse(trigger);
}

export function makeWorkflowDefinition(overrides: Partial<WorkflowDefinitionInput> = {}): WorkflowDefinition {
  return WorkflowDefinition.parse({
    name: 'Refund order',
    trigger: { type: 'shortcut', name: 'Refund' },
    steps: [makeStep('send_message', {}, 'greet'), makeStep('close_conversation', {}, 'end')],
    ...overrides,
  });
}
