import { OPEN_VARIABLE_TRIGGERS, triggerVariables } from '../contracts/triggers';
import type { WorkflowDefinition } from '../contracts/workflow';
import { stepTemplates } from './step-templates';
import { renderJsonTemplate, TEMPLATE_ROOTS, type TemplateReference, templateReferences } from './template';

// What publishing checks beyond the contract: references inside the definition. Only what can
// be known without a database (whether a workflow id or app exists is the server's business).

export type Problem = { path: (string | number)[]; message: string };

const SYSTEM_VARIABLES = ['now'];

type Context = {
  stepIds: Set<string>;
  /** undefined: the trigger's variables are only known at run time. */
  triggerVars: string[] | undefined;
  /** undefined: some step (a mini-app action) sets variables not known statically. */
  stepVars: string[] | undefined;
};

function referenceProblem(ref: TemplateReference, ctx: Context): string | undefined {
  const shown = `{{${ref.name}}}`;
  const first = ref.path[0];
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(ref.root)) {
    return `Unknown variable ${shown}: variables start with ${TEMPLATE_ROOTS.map((r) => `$${r}`).join(', ')}`;
  }
  if (first === undefined) return `${shown} needs a name after the dot, e.g. {{$${ref.root}.id}}`;
  if (ref.root === 'system' && !SYSTEM_VARIABLES.includes(first)) {
    return `Unknown variable ${shown}: the system provides ${SYSTEM_VARIABLES.map((v) => `$system.${v}`).join(', ')}`;
  }
  if (ref.root === 'trigger' && ctx.triggerVars && !ctx.triggerVars.includes(first)) {
    const provides = ctx.triggerVars.length ? ctx.triggerVars.join(', ') : 'no variables';
    return `${shown} is not provided by this trigger (it provides ${provides})`;
  }
  if (ref.root === 'step' && ctx.stepVars && !ctx.stepVars.includes(first)) {
    return `${shown} is not set by any step: map it in an HTTP request step's response`;
  }
  return undefined;
}

function targetProblem(target: string, self: string, ctx: Context): string | undefined {
  if (target === self) return 'A step cannot jump to itself';
  if (!ctx.stepIds.has(target)) return `There is no step "${target}" to go to`;
  return undefined;
}

/** Every structural problem of a definition at once, each with the path of what to fix. */
export function structuralProblems(def: WorkflowDefinition): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string | undefined) => {
    if (message) problems.push({ path, message });
  };

  const seen = new Set<string>();
  def.steps.forEach((step, i) => {
    if (seen.has(step.id)) add(['steps', i, 'id'], `Step id "${step.id}" is used twice`);
    seen.add(step.id);
  });

  const ctx: Context = {
    stepIds: seen,
    triggerVars: OPEN_VARIABLE_TRIGGERS.includes(def.trigger.type) ? undefined : triggerVariables(def.trigger),
    stepVars: def.steps.some((s) => s.type === 'mini_app_action')
      ? undefined
      : def.steps.flatMap((s) => (s.type === 'http_request' ? s.config.responseMappings.map((m) => m.variable)
        : s.type === 'ask_question' && s.config.saveToVariable ? [s.config.saveToVariable] : [])),
  };

  def.steps.forEach((step, i) => {
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
    }
    for (const { path, template, json } of stepTemplates(step)) {
      const reported = new Set<string>();
      for (const ref of templateReferences(template)) {
        if (reported.has(ref.name)) continue;
        reported.add(ref.name);
        add(['steps', i, ...path], referenceProblem(ref, ctx));
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
