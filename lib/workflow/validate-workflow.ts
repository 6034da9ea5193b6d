import { OPEN_VARIABLE_TRIGGERS, triggerVariables } from '../contracts/triggers';
import { itemGap, type TriggerItem } from './app-trigger-items';
import type { FieldDefinition } from '../contracts/contacts';
import type { WorkflowDefinition } from '../contracts/workflow';
import { END_WORKFLOW } from '../contracts/steps';
import { reservedVariableProblem } from '../contracts/forms';
import { stepTemplates } from './step-templates';
import { sendLinkProblems } from './send-links';
import { buttonBodyProblem, type ButtonChannel } from './button-body';
import { closestNames } from './suggest';
import { credentialGaps } from './credential-placeholders';
import { httpUrlProblem } from './http-url-problem';
import { emptyPoolProblem } from './assign-pool';
import { type ActionOutputs, stepVariables } from './step-variables';
import {
  CONTACT_VARIABLES, CONVERSATION_VARIABLES, renderJsonTemplate, rootlessReferences, SYSTEM_VARIABLES, TEMPLATE_ROOTS, type TemplateReference,
  templateReferences,
} from './template';
import {
  actionInputProblems, answerTypeFieldProblem, choiceFieldProblem, comparedNumberProblem, listOptionProblem, literalValueProblem,
} from './config-value-problems';
import { after, braces, type Finding, listed, meantAmong, type ReferenceContext, say } from './reference-finding';
import { stepFinding } from './step-reference-findings';

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
  /** The workspace's default country (null: none set), to read a phone number written without its country code as runs will. */
  defaultCountry?: string | null;
  /** The inputs of an installed app's action; undefined when the app or action is not known. */
  actionInputs?: (appId: string, actionKey: string) => readonly ActionInputSpec[] | undefined;
  /** The outputs (`$step.<variable>`) of an installed app's action; undefined when not known (any `$step` name is then let through). */
  actionOutputs?: ActionOutputs;
  /** The items of an installed app's trigger (`$trigger.<item>`); undefined when the app or trigger is not known. */
  triggerItems?: (appId: string, triggerKey: string) => readonly TriggerItem[] | undefined;
  /** The kinds of the Meta channels connected (reply buttons' text limits differ); undefined or empty: any may be. */
  buttonChannels?: readonly ButtonChannel[];
};

/** What is wrong with a reference, by its root (`$step`: step-reference-findings.ts); undefined: nothing. */
function checkReference(ref: TemplateReference, ctx: ReferenceContext): Finding | undefined {
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

/** `$contact.<property>` and `$contact.fields.<key>`: a custom field may be what a property typo meant, and the other way round. */
function contactFinding(ref: TemplateReference, first: string, ctx: ReferenceContext): Finding | undefined {
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
function rootlessFinding(written: string, ref: TemplateReference, ctx: ReferenceContext): Finding {
  const finding = checkReference(ref, ctx);
  const meant = finding ? finding.meant ?? [] : [ref.name];
  return { what: `${written} is sent as written`, detail: ': a variable starts with $, e.g. {{$contact.firstName}}', meant };
}

function targetProblem(target: string, self: string, ctx: ReferenceContext): string | undefined {
  // "End the workflow" names no step: nothing to find.
  if (target === END_WORKFLOW) return undefined;
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

  if (def.trigger.type === 'shortcut') {
    def.trigger.form.fields.forEach((f, i) => add(['trigger', 'form', 'fields', i, 'variable'], reservedVariableProblem(f.variable)));
  }

  const items = def.trigger.type === 'mini_app' ? workspace.triggerItems?.(def.trigger.appId, def.trigger.triggerKey) : undefined;
  const ctx: ReferenceContext = {
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

  const formFields = def.trigger.type === 'shortcut' ? def.trigger.form.fields : undefined;
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
        add([...at, 'branches', b, 'conditions', 'rules', r, 'right'], comparedNumberProblem(rule) ?? listOptionProblem(rule, workspace.fields, formFields))));
    }
    if (step.type === 'update_contact_field') add([...at, 'value'], literalValueProblem(step.config, i, step.id, workspace.fields, workspace.defaultCountry));
    if (step.type === 'send_message') for (const [path, message] of sendLinkProblems(step.config)) add([...at, ...path], message);
    if (step.type === 'send_message') add([...at, 'text'], buttonBodyProblem(step.config, i, step.id, workspace.buttonChannels));
    if (step.type === 'mini_app_action') {
      const inputs = workspace.actionInputs?.(step.config.appId, step.config.actionKey);
      for (const [key, message] of inputs ? actionInputProblems(step.config.actionKey, inputs, step.config.inputs) : []) add([...at, 'inputs', key], message);
    }
    if (step.type === 'http_request') add([...at, 'url'], httpUrlProblem(step.config.url));
    if (step.type === 'assign_to') add([...at, 'userIds'], emptyPoolProblem(step.config, i, step.id));
    if (step.type === 'ask_question') add([...at, 'saveToField'], choiceFieldProblem(step.config, i, step.id, workspace.fields) ?? answerTypeFieldProblem(step.config, i, step.id, workspace.fields));
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

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
