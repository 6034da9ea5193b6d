import type { StepInput, StepType } from '../../lib/contracts/steps';

export const STEP_LABELS: Record<StepType, string> = {
  send_message: 'Send a message',
  add_comment: 'Add an internal comment',
  update_contact_tag: 'Add or remove tags',
  update_contact_field: 'Update a contact field',
  assign_to: 'Assign the conversation',
  open_conversation: 'Open the conversation',
  close_conversation: 'Close the conversation',
  branch: 'Branch',
  wait: 'Wait',
  jump_to: 'Jump to a step',
  http_request: 'HTTP request',
  trigger_workflow: 'Trigger another workflow',
  mini_app_action: 'Mini-app action',
  date_time: 'Date & time',
  update_lifecycle_stage: 'Update lifecycle stage',
  ask_question: 'Ask a question',
};

/** The first free `<type>_<n>` id: readable in run logs and stable once saved. */
export function newStepId(type: StepType, steps: readonly { id: string }[]): string {
  let n = 1;
  while (steps.some((s) => s.id === `${type}_${n}`)) n++;
  return `${type}_${n}`;
}

export function defaultStep(type: StepType, steps: readonly { id: string }[]): StepInput {
  const id = newStepId(type, steps);
  switch (type) {
    case 'send_message':
    case 'add_comment':
      return { id, type, config: { text: '' } };
    case 'update_contact_tag':
      return { id, type, config: { action: 'add', tags: [] } };
    case 'update_contact_field':
      return { id, type, config: { field: '', value: '' } };
    case 'assign_to':
      return { id, type, config: { userId: '' } };
    case 'open_conversation':
      return { id, type, config: {} };
    case 'close_conversation':
      return { id, type, config: {} };
    case 'branch':
      return { id, type, config: { branches: [{ name: 'Branch 1', conditions: { logic: 'and', rules: [{ left: '', operator: 'is', right: '' }] }, goTo: '' }] } };
    case 'wait':
      return { id, type, config: { seconds: 60 } };
    case 'jump_to':
      return { id, type, config: { stepId: '' } };
    case 'http_request':
      return { id, type, config: { method: 'POST', url: 'https://', headers: [], body: '', timeoutMs: 10_000, responseMappings: [] } };
    case 'trigger_workflow':
      return { id, type, config: { workflowId: '' } };
    case 'mini_app_action':
      return { id, type, config: { appId: '', actionKey: '', inputs: {} } };
    case 'date_time':
      return { id, type, config: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', schedule: defaultBusinessHours() } };
    case 'update_lifecycle_stage':
      return { id, type, config: { stage: '' } };
    case 'ask_question':
      return { id, type, config: { question: '', answerType: 'text', choices: [], presentation: 'text', retries: 1, timeoutSeconds: 86_400 } };
  }
}

/** Monday to Friday, 09:00–17:00: where most people start. */
export function defaultBusinessHours() {
  const day = [{ from: '09:00', to: '17:00' }];
  return { mode: 'business_hours' as const, hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] } };
}
