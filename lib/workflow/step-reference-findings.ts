import { variablesSetBy } from './step-variables';
import type { TemplateReference } from './template';
import { after, braces, type Finding, meantAmong, type ReferenceContext } from './reference-finding';

// `$step.<name>` references, the ones whose answer depends on the order of the steps: which
// steps set a variable, and whether one of them may run before the step that reads it.

/**
 * `$step.<name>`: set by a step that may run before this one (a jump back counts), so a run has a
 * value, never one left over from another workflow path or empty because its step comes later.
 */
export function stepFinding(ref: TemplateReference, first: string, ctx: ReferenceContext): Finding | undefined {
  const { before, open, setBy, anyOpen } = ctx.stepVars;
  if (before[ctx.at]?.has(first) || open[ctx.at]) return undefined;
  const shown = braces(ref.name);
  const setters = setBy.get(first) ?? [];
  if (setters.length === 1 && setters[0] === ctx.at) {
    return { what: `${shown} is read before any step sets it`, detail: ': this step sets it from its own answer, which comes after it is sent; a step reads what steps before it set' };
  }
  if (setters.length) {
    const named = setters.map((i) => `step ${i + 1} ("${ctx.stepOrder[i]}")`).join(' and ');
    return { what: `${shown} is read before any step sets it`, detail: `: ${named} ${setters.length > 1 ? 'set' : 'sets'} it, but not before step ${ctx.at + 1} runs; move this step below ${setters.length > 1 ? 'one of them' : 'it'}` };
  }
  if (anyOpen) return undefined;
  const available = [...(before[ctx.at] ?? [])];
  const meant = (word: string, head: string) => {
    const near = meantAmong(ref, word, head, available, '$step.');
    return near.length ? near : meantAmong(ref, word, head, [...setBy.keys()], '$step.');
  };
  // `$step.<step id>.<name>`: a step's variables are named without its id. The advice names
  // one that works here (what that step sets), never a name publishing would refuse next.
  const inner = ref.path[1];
  if (ctx.stepIds.has(first) && inner !== undefined) {
    const head = `$step.${first}.${inner}`;
    if (available.includes(inner)) return { what: `${shown} is not set by any step`, meant: [`$step.${inner}${after(ref.name, head)}`] };
    const index = ctx.stepOrder.indexOf(first);
    const its = (variablesSetBy(ctx.steps[index]!, ctx.actionOutputs) ?? []).filter((v) => available.includes(v));
    if (its.length) {
      const near = meantAmong(ref, inner, head, its, '$step.');
      return { what: `${shown} is not set by any step`, meant: near.length ? near : its.slice(0, 2).map((v) => `$step.${v}${after(ref.name, head)}`) };
    }
    return { what: `${shown} is not set by any step`, detail: `: a step's variables are named without the step's id, and ${keepsNone(ctx, index, inner)}` };
  }
  const near = meant(first, `$step.${first}`);
  const unsaved = near.length ? -1 : ctx.steps.findIndex((s, i) => i < ctx.at && s.type === 'ask_question' && variablesSetBy(s)?.length === 0);
  if (unsaved >= 0) return { what: `${shown} is not set by any step`, detail: `: ${keepsNone(ctx, unsaved, first)}` };
  return { what: `${shown} is not set by any step`, detail: `: map it in an HTTP request step's response, or save an Ask a Question step's answer as it`, meant: near };
}

/** Why step `index` gives this step no variable `name` to read, and how it would. */
function keepsNone(ctx: ReferenceContext, index: number, name: string): string {
  const step = ctx.steps[index]!;
  const which = `step ${index + 1} ("${step.id}")`;
  if (step.type === 'ask_question' && variablesSetBy(step)?.length === 0) {
    return `${which} saves its answer as no variable: name it "${name}" in that step's "Save the answer as $step variable", then read it as ${braces(`$step.${name}`)}`;
  }
  const sets = variablesSetBy(step, ctx.actionOutputs) ?? [];
  if (sets.length) return `${which} sets ${sets.map((v) => braces(`$step.${v}`)).join(', ')}, but not before step ${ctx.at + 1} runs`;
  return `${which} sets no variables (an HTTP request step sets those its response maps, an Ask a Question step the one it saves its answer as)`;
}
