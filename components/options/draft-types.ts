import type { z } from 'zod';
import type { StepConfigSchemas, StepInput, StepType } from '../../lib/contracts/steps';
import type { TriggerInput, TriggerType } from '../../lib/contracts/triggers';

/** What the editor holds while the admin types: the contract's input shape, possibly invalid. */
export interface WorkflowDraft {
  name: string;
  trigger: TriggerInput;
  oncePerContact: boolean;
  steps: StepInput[];
}

export type TriggerDraftOf<T extends TriggerType> = Extract<TriggerInput, { type: T }>;
export type StepConfigDraft<T extends StepType> = z.input<(typeof StepConfigSchemas)[T]>;

export interface StepEditorProps<T extends StepType> {
  config: StepConfigDraft<T>;
  onChange(config: StepConfigDraft<T>): void;
  /** Draft path of the config (`steps.2.config`). */
  path: string;
  index: number;
  stepId: string;
}
