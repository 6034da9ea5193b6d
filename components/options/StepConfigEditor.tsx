import type { StepInput } from '../../lib/contracts/steps';
import { AskQuestionStepFields } from './AskQuestionStepFields';
import { AssignStepFields } from './AssignStepFields';
import { BranchStepFields } from './BranchStepFields';
import { CloseStepFields } from './CloseStepFields';
import { DateTimeStepFields } from './DateTimeStepFields';
import { FieldStepFields } from './FieldStepFields';
import { HttpStepFields } from './HttpStepFields';
import { JumpStepFields } from './JumpStepFields';
import { LifecycleStepFields } from './LifecycleStepFields';
import { MessageStepFields } from './MessageStepFields';
import { SendMessageStepFields } from './SendMessageStepFields';
import { MiniAppActionStepFields } from './MiniAppActionStepFields';
import { OpenConversationStepFields } from './OpenConversationStepFields';
import { TagStepFields } from './TagStepFields';
import { TriggerWorkflowStepFields } from './TriggerWorkflowStepFields';
import { WaitStepFields } from './WaitStepFields';

interface Props { step: StepInput; index: number; onChange(step: StepInput): void }

/** The settings of one step, by type. */
export function StepConfigEditor({ step, index, onChange }: Props) {
  const common = { path: `steps.${index}.config`, index, stepId: step.id };
  switch (step.type) {
    case 'send_message':
      return <SendMessageStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'add_comment':
      return <MessageStepFields {...common} comment config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'update_contact_tag':
      return <TagStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'update_contact_field':
      return <FieldStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'assign_to':
      return <AssignStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'open_conversation':
      return <OpenConversationStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'close_conversation':
      return <CloseStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'branch':
      return <BranchStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'wait':
      return <WaitStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'jump_to':
      return <JumpStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'http_request':
      return <HttpStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'trigger_workflow':
      return <TriggerWorkflowStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'mini_app_action':
      return <MiniAppActionStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'date_time':
      return <DateTimeStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'update_lifecycle_stage':
      return <LifecycleStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
    case 'ask_question':
      return <AskQuestionStepFields {...common} config={step.config} onChange={(config) => onChange({ ...step, config })} />;
  }
}
