import { OPEN_VARIABLE_TRIGGERS, triggerVariables } from '../contracts/triggers';
import { itemGap, type TriggerItem } from './app-trigger-items';
import type { VariableCondition } from '../contracts/conditions';
import type { FieldDefinition } from '../contracts/contacts';
import type { WorkflowDefinition } from '../contracts/workflow';
import { fieldName, fieldValueOf, writableField } from './field-values';
import { readNumber } from './numbers';
import { stepTemplates } from './step-templates';
import { sendLinkProblems } from './send-links';
import { closestNames } from './suggest';
import { credentialGaps } from './credential-placeholders';
import { type ActionOutputs, type StepShape, stepVariables, type StepVariables, variablesSetBy } from './step-variables';
import {
  CONTACT_VARIABLES, CONVERSATION_VARIABLES, renderJsonTemplate, rootlessReferences, SYSTEM_VARIABLES, TEMPLATE_ROOTS, type TemplateReference,
  templateReferences,
} from './template';

// What publishing checks beyond the contract: references inside the definition. Only what can
// be known without a database (whether a workflow id or app exists is the server's business);
// what the workspace defines (custom fields, an installed app's action) is checked when given.

export type Problem = { path: (string | number)[]; message: string };

/** An input of a mini-app action, as its app's manifest declares it. */
export type ActionInputSpec = { key: string; label: string; required?: boolean };

/** What the workspace defines, for the checks that need it; what is left out is not checked. */
export type WorkspaceFacts = {
  /** The keys of the workspace's custom contact fields (`{{$contact.fields.<key>}}`). */
  fieldKeys?: readonly string[];
  /** The custom field definitions, to check a value written without variables against its type. */
  fields?: readonly FieldDefinition[];
  /** The inputs of an installed app's action; undefined when the app or action is not known. */
  actionInputs?: (appId: string, actionKey: string) => readonly ActionInputSpec[] | undefined;
  /** The outputs (`$step.<variable>`) of an installed app's action; undefined when not known (any `$step` name is then let through). */
  actionOutputs?: ActionOutputs;
  /** The items of an installed app's trigger (`$trigger.<item>`); undefined when the app or trigger is not known. */
  triggerItems?: (appId: string, triggerKey: string) => readonly TriggerItem[] | undefined;
};

type Context = {
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
type Finding = { what: string; detail?: string; meant?: string[] };

const braces = (name: string) => `{{${name}}}`;
const didYouMean = (meant: readonly string[]) => `did you mean ${meant.map(braces).join(' or ')}?`;
const listed = (names: readonly string[], max = 12) =>
  names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', ');

/** What follows `head` in a reference's name (`[0]` after `$contact.tags`), to keep in a suggestion. */
const after = (name: string, head: string) => (name.startsWith(head) ? name.slice(head.length) : '');

/** The closest of `known` names under `prefix` (`$trigger.`), each with the rest of the reference kept. */
function meantAmong(ref: TemplateReference, word: string, head: string, known: readonly string[], prefix: string): string[] {
  return closestNames(word, known, (k) => k).map((k) => `${prefix}${k}${after(ref.name, head)}`);
}

function checkReference(ref: TemplateReference, ctx: Context): Finding | undefined {
  const shown = braces(ref.name);
  const first = ref.path[0];
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(ref.root)) {
    const detail = `: variables start with ${TEMPLATE_ROOTS.map((r) => `$${r}`).join(', ')}`;
    const meant = closestNames(ref.root, TEMPLATE_ROOTS, (r) => r).flatMap((root) => {
      const fixed = { ...ref, root, name: `$${root}${after(ref.name, `$${ref.root}`)}` };
      const finding = checkReference(fixed, ctx);
      return finding ? finding.meant ?? [] : [fixed.name];
    });
    return { what: `Unknown variable ${shown}`, detail, meant };
  }
  if (first === undefined) return { what: `${shown} needs a name after the dot, e.g. {{$${ref.root}.id}}` };
  if (ref.root === 'contact') return contactFinding(ref, first, ctx);
  if (ref.root === 'conversation' && !CONVERSATION_VARIABLES.includes(first)) {
    const meant = meantAmong(ref, first, `$conversation.${first}`, CONVERSATION_VARIABLES, '$conversation.');
    return { what: `Unknown variable ${shown}`, detail: `: a conversation has ${CONVERSATION_VARIABLES.join(', ')}`, meant };
  }
  if (ref.root === 'system' && !SYSTEM_VARIABLES.includes(first)) {
    return {
      what: `Unknown variable ${shown}`,
      detail: `: the system provides ${SYSTEM_VARIABLES.map((v) => `$system.${v}`).join(', ')}`,
      meant: meantAmong(ref, first, `$system.${first}`, SYSTEM_VARIABLES, '$system.'),
    };
  }
  if (ref.root === 'trigger' && ctx.triggerVars && !ctx.triggerVars.includes(first)) {
    const provides = ctx.triggerVars.length ? ctx.triggerVars.join(', ') : 'no variables';
    return {
      what: `${shown} is not provided by this trigger`,
      detail: ` (it provides ${provides})`,
      meant: meantAmong(ref, first, `$trigger.${first}`, ctx.triggerVars, '$trigger.'),
    };
  }
  if (ref.root === 'trigger' && ctx.items && itemGap(ref, ctx.items) === 'no_parts') {
    const json = ctx.items.filter((i) => i.type === 'json').map((i) => i.key);
    const type = ctx.items.find((i) => i.key === first)?.type;
    const only = json.length ? `only a json item (${json.join(', ')}) has values inside` : 'only a json item has values inside, and this trigger has none';
    return { what: `${shown} reads inside "${first}", a ${type} item of this trigger`, detail: `: ${only}; use {{$trigger.${first}}} for its value` };
  }
  if (ref.root === 'step') return stepFinding(ref, first, ctx);
  return undefined;
}

/**
 * `$step.<name>`: set by a step that may run before this one (a jump back counts), so a run has a
 * value, never one left over from another workflow path or empty because its step comes later.
 */
function stepFinding(ref: TemplateReference, first: string, ctx: Context): Finding | undefined {
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
function keepsNone(ctx: Context, index: number, name: string): string {
  const step = ctx.steps[index]!;
  const which = `step ${index + 1} ("${step.id}")`;
  if (step.type === 'ask_question' && variablesSetBy(step)?.length === 0) {
    return `${which} saves its answer as no variable: name it "${name}" in that step's "Save the answer as $step variable", then read it as ${braces(`$step.${name}`)}`;
  }
  const sets = variablesSetBy(step, ctx.actionOutputs) ?? [];
  if (sets.length) return `${which} sets ${sets.map((v) => braces(`$step.${v}`)).join(', ')}, but not before step ${ctx.at + 1} runs`;
  return `${which} sets no variables (an HTTP request step sets those its response maps, an Ask a Question step the one it saves its answer as)`;
}

/** `$contact.<property>` and `$contact.fields.<key>`: a custom field may be what a property typo meant, and the other way round. */
function contactFinding(ref: TemplateReference, first: string, ctx: Context): Finding | undefined {
  const shown = braces(ref.name);
  const properties = CONTACT_VARIABLES.filter((p) => p !== 'fields');
  const fields = ctx.fieldKeys ?? [];
  if (first === 'fields') {
    const key = ref.path[1];
    if (key === undefined || !ctx.fieldKeys || fields.includes(key)) return undefined;
    const head = `$contact.fields.${key}`;
    const meant = closestNames(key, fields, (k) => k).map((k) => `$contact.fields.${k}${after(ref.name, head)}`);
    const standard = closestNames(key, properties, (p) => p).map((p) => `$contact.${p}${after(ref.name, head)}`);
    const defined = fields.length ? `the fields are ${listed(fields)}` : 'no custom fields are defined yet';
    return { what: `Unknown variable ${shown}`, detail: `: there is no contact field "${key}" (${defined})`, meant: [...meant, ...standard].slice(0, 2) };
  }
  if (CONTACT_VARIABLES.includes(first)) return undefined;
  const head = `$contact.${first}`;
  const candidates = [...properties.map((p) => ({ key: p, name: `$contact.${p}` })), ...fields.map((k) => ({ key: k, name: `$contact.fields.${k}` }))];
  const meant = closestNames(first, candidates, (c) => c.key).map((c) => `${c.name}${after(ref.name, head)}`);
  return { what: `Unknown variable ${shown}`, detail: `: a contact has ${properties.join(', ')}, and fields.<key> for a custom field`, meant };
}

/** `{{contact.firstName}}`: the renderer sends it as written; `name` is what it was likely meant to be. */
function rootlessFinding(written: string, ref: TemplateReference, ctx: Context): Finding {
  const finding = checkReference(ref, ctx);
  const meant = finding ? finding.meant ?? [] : [ref.name];
  return { what: `${written} is sent as written`, detail: ': a variable starts with $, e.g. {{$contact.firstName}}', meant };
}

/** The finding as one sentence: with a likely meaning, that; else what is known. */
function say(finding: Finding | undefined): string | undefined {
  if (!finding) return undefined;
  const meant = finding.meant ?? [];
  return meant.length ? `${finding.what}: ${didYouMean(meant)}` : `${finding.what}${finding.detail ?? ''}`;
}

function targetProblem(target: string, self: string, ctx: Context): string | undefined {
  if (target === self) return 'A step cannot jump to itself';
  if (!ctx.stepIds.has(target)) return `There is no step "${target}" to go to`;
  return undefined;
}

/**
 * Every structural problem of a definition at once, each with the path of what to fix. `workspace`
 * adds the checks that need what the workspace defines (the server and the options editor give it).
 */
export function structuralProblems(def: WorkflowDefinition, workspace: WorkspaceFacts = {}): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string | undefined) => {
    if (message) problems.push({ path, message });
  };

  const seen = new Set<string>();
  def.steps.forEach((step, i) => {
    if (seen.has(step.id)) add(['steps', i, 'id'], `Step id "${step.id}" is used twice`);
    seen.add(step.id);
  });

  const items = def.trigger.type === 'mini_app' ? workspace.triggerItems?.(def.trigger.appId, def.trigger.triggerKey) : undefined;
  const ctx: Context = {
    stepIds: seen,
    // A mini-app trigger's variables are its app's items, once the workspace says what they are.
    triggerVars: items ? items.map((i) => i.key)
      : OPEN_VARIABLE_TRIGGERS.includes(def.trigger.type) ? undefined : triggerVariables(def.trigger),
    items,
    stepVars: stepVariables(def.steps, workspace.actionOutputs),
    stepOrder: def.steps.map((s) => s.id),
    steps: def.steps,
    actionOutputs: workspace.actionOutputs,
    at: 0,
    fieldKeys: workspace.fieldKeys,
  };

  def.steps.forEach((step, i) => {
    ctx.at = i;
    const at = ['steps', i, 'config'];
    if (step.type === 'jump_to') add([...at, 'stepId'], targetProblem(step.config.stepId, step.id, ctx));
    if (step.type === 'date_time') {
      for (const key of ['matchGoTo', 'elseGoTo'] as const) {
        const target = step.config[key];
        if (target !== undefined) add([...at, key], targetProblem(target, step.id, ctx));
      }
    }
    if (step.type === 'ask_question') {
      for (const key of ['answeredGoTo', 'invalidGoTo', 'timeoutGoTo'] as const) {
        const target = step.config[key];
        if (target !== undefined) add([...at, key], targetProblem(target, step.id, ctx));
      }
    }
    if (step.type === 'branch') {
      step.config.branches.forEach((branch, b) =>
        add([...at, 'branches', b, 'goTo'], targetProblem(branch.goTo, step.id, ctx)),
      );
      if (step.config.elseGoTo !== undefined) add([...at, 'elseGoTo'], targetProblem(step.config.elseGoTo, step.id, ctx));
      step.config.branches.forEach((branch, b) => branch.conditions.rules.forEach((rule, r) =>
        add([...at, 'branches', b, 'conditions', 'rules', r, 'right'], comparedNumberProblem(rule))));
    }
    if (step.type === 'update_contact_field') add([...at, 'value'], literalValueProblem(step.config, i, step.id, workspace.fields));
    if (step.type === 'send_message') for (const [path, message] of sendLinkProblems(step.config)) add([...at, ...path], message);
    if (step.type === 'mini_app_action') {
      const inputs = workspace.actionInputs?.(step.config.appId, step.config.actionKey);
      for (const [key, message] of inputs ? actionInputProblems(step.config.actionKey, inputs, step.config.inputs) : []) add([...at, 'inputs', key], message);
    }
    for (const gap of credentialGaps(step)) add(['steps', i, ...gap.path], `${gap.message[0]!.toUpperCase()}${gap.message.slice(1)}`);
    // An HTTP request's text goes to another system as written, which may use `{{…}}` itself.
    const rootlessChecked = step.type !== 'http_request';
    for (const { path, template, json } of stepTemplates(step)) {
      const reported = new Set<string>();
      for (const ref of templateReferences(template)) {
        if (reported.has(ref.name)) continue;
        reported.add(ref.name);
        add(['steps', i, ...path], say(checkReference(ref, ctx)));
      }
      for (const { written, ...ref } of rootlessChecked ? rootlessReferences(template) : []) {
        if (reported.has(written)) continue;
        reported.add(written);
        add(['steps', i, ...path], say(rootlessFinding(written, ref, ctx)));
      }
      if (json && template.trim() !== '' && !isJson(renderJsonTemplate(template, {}).text)) {
        add(['steps', i, ...path], 'The body is not valid JSON (checked with every variable filled in)');
      }
    }
  });
  return problems;
}

/** A greater/less than against a written value that is no number would never hold: say so now. */
function comparedNumberProblem(rule: VariableCondition): string | undefined {
  if (rule.operator !== 'greater_than' && rule.operator !== 'less_than') return undefined;
  const right = rule.right ?? '';
  if (right.includes('{{')) return undefined; // a variable: read when the run gets there (a note if it is no number)
  const reading = readNumber(right);
  if (!('problem' in reading)) return undefined;
  const advice = 'enter a number to compare with, without thousands separators, e.g. 1250 or 1250.50';
  return reading.problem === 'is empty' ? `Nothing to compare with: ${advice}` : `"${right}" ${reading.problem}: ${advice}`;
}

/**
 * A value written without variables is the same on every run: one the field cannot hold would
 * fail them all, so it is refused now, by the check the step runs (lib/workflow/field-values.ts).
 * Standard fields are always known; custom ones when the workspace's definitions are given.
 */
function literalValueProblem(config: { field: string; value: string }, index: number, id: string, defs: readonly FieldDefinition[] = []): string | undefined {
  if (config.value.includes('{{')) return undefined;
  const field = writableField(config.field, defs);
  const read = field && fieldValueOf(field, config.value);
  return read && 'error' in read ? `Step ${index + 1} ("${id}") cannot set ${fieldName(field)}: ${read.error}` : undefined;
}

/**
 * What would stop a mini-app action at run time, known from its definition: a required input
 * left empty, an input the action does not have. Keyed by input.
 */
function actionInputProblems(actionKey: string, inputs: readonly ActionInputSpec[], given: Record<string, string>): [string, string][] {
  const problems: [string, string][] = [];
  for (const input of inputs) {
    if (input.required && (given[input.key] ?? '').trim() === '') {
      problems.push([input.key, `"${input.label}" is a required input of the action "${actionKey}": give it a value`]);
    }
  }
  for (const key of Object.keys(given)) {
    if (!inputs.some((i) => i.key === key)) problems.push([key, `The action "${actionKey}" has no input "${key}"`]);
  }
  return problems;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
