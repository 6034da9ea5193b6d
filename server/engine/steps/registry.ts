import type { StepType } from '../../../lib/contracts/steps';
import type { StepDefinition } from './define';
import { addCommentStep } from './add-comment';
import { askQuestionStep } from './ask-question';
import { dateTimeStep } from './date-time';
import { updateLifecycleStageStep } from './update-lifecycle-stage';
import { assignToStep } from './assign-to';
import { branchStep } from './branch';
import { closeConversationStep } from './close-conversation';
import { httpRequestStep } from './http-request';
import { jumpToStep } from './jump-to';
import { miniAppActionStep } from './mini-app-action';
import { openConversationStep } from './open-conversation';
import { sendMessageStep } from './send-message';
import { triggerWorkflowStep } from './trigger-workflow';
import { updateContactFieldStep } from './update-contact-field';
import { updateContactTagStep } from './update-contact-tag';
import { waitStep } from './wait';

/** Every step type's handler: a type without one fails to compile. */
export const stepRegistry: { [T in StepType]: StepDefinition<T> } = {
  send_message: sendMessageStep,
  add_comment: addCommentStep,
  update_contact_tag: updateContactTagStep,
  update_contact_field: updateContactFieldStep,
  assign_to: assignToStep,
  open_conversation: openConversationStep,
  close_conversation: closeConversationStep,
  branch: branchStep,
  wait: waitStep,
  jump_to: jumpToStep,
  http_request: httpRequestStep,
  trigger_workflow: triggerWorkflowStep,
  mini_app_action: miniAppActionStep,
  date_time: dateTimeStep,
  update_lifecycle_stage: updateLifecycleStageStep,
  ask_question: askQuestionStep,
};

export const stepDefinition = <T extends StepType>(type: T): StepDefinition<T> => stepRegistry[type];
