import type { TriggerItem } from './app-trigger-items';
import type { ActionOutputs, StepShape, StepVariables } from './step-variables';
import { closestNames } from './suggest';
import type { TemplateReference } from './template';

// What publishing says about one `{{…}}` reference (validate-workflow.ts): the definition it is
// read in, and how a finding is worded. Shared by the checks of each root ($step has its own file).

/** What a reference is checked against: the definition around it, and what the workspace defines. */
export type ReferenceContext = {
  stepIds: Set<string>;
  /** undefined: the trigger's variables are only known at run time. */
  triggerVars: string[] | undefined;
  /** A mini-app trigger's items, whose types say what may be read below them. */
  items: readonly TriggerItem[] | undefined;
  /** Which `$step` names each step may read (lib/workflow/step-variables.ts). */
  stepVars: StepVariables;
  /** The steps' ids, in order, to name them. */
  stepOrder: string[];
  /** The steps, to say what one sets when a reference names it. */
  steps: readonly StepShape[];
  actionOutputs: ActionOutputs | undefined;
  /** The index of the step whose templates are checked. */
  at: number;
  /** undefined: the workspace's custom fields were not given. */
  fieldKeys: readonly string[] | undefined;
};

/**
 * What is wrong with a reference: `what` names it, `detail` (with its leading punctuation) says
 * what is known instead; `meant` are the references it was likely meant to be (`$contact.firstName`),
 * said instead of the detail.
 */
export type Finding = { what: string; detail?: string; meant?: string[] };

export const braces = (name: string) => `{{${name}}}`;
const didYouMean = (meant: readonly string[]) => `did you mean ${meant.map(braces).join(' or ')}?`;
export const listed = (names: readonly string[], max = 12) =>
  names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', ');

/** What follows `head` in a reference's name (`[0]` after `$contact.tags`), to keep in a suggestion. */
export const after = (name: string, head: string) => (name.startsWith(head) ? name.slice(head.length) : '');

/** The closest of `known` names under `prefix` (`$trigger.`), each with the rest of the reference kept. */
export function meantAmong(ref: TemplateReference, word: string, head: string, known: readonly string[], prefix: string): string[] {
  return closestNames(word, known, (k) => k).map((k) => `${prefix}${k}${after(ref.name, head)}`);
}

/** The finding as one sentence: with a likely meaning, that; else what is known. */
export function say(finding: Finding | undefined): string | undefined {
  if (!finding) return undefined;
  const meant = finding.meant ?? [];
  return meant.length ? `${finding.what}: ${didYouMean(meant)}` : `${finding.what}${finding.detail ?? ''}`;
}
