// Which `$step.<name>` a step can read: one a step that may run before it (on some path through
// the workflow, jumps back included) sets. The publish check refuses the others and the editor
// offers only these, so "Insert variable" never offers what publishing refuses. n8n's
// expressions read a node that has run on the way to this one; here a step's variables are what
// it mapped, and a later step that maps the same name replaces them (null when its mapping fails).

/** A step as the editor holds it or as published: only the parts that move a run or set variables. */
export type StepShape = { id: string; type: string; config?: unknown };

/** The outputs an installed app's action maps (`$step.<variable>`); undefined when not known. */
export type ActionOutputs = (appId: string, actionKey: string) => readonly string[] | undefined;

export interface StepVariables {
  /** Per step index: the names a step that may run before it sets. */
  before: Set<string>[];
  /** Per step index: a step whose variables are not known (an app's action not loaded) may run before it. */
  open: boolean[];
  /** Every name some step sets, with the steps (indexes) that set it. */
  setBy: Map<string, number[]>;
  /** Some step sets variables not known here: a name may come from it. */
  anyOpen: boolean;
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The `$step` names a step sets; undefined when they are not known (a mini-app action whose app is not known). */
export function variablesSetBy(step: StepShape, actionOutputs?: ActionOutputs): string[] | undefined {
  const config = record(step.config);
  if (step.type === 'http_request') {
    const mappings = Array.isArray(config.responseMappings) ? config.responseMappings : [];
    return mappings.flatMap((m) => text(record(m).variable) ?? []);
  }
  if (step.type === 'ask_question') return text(config.saveToVariable) ? [text(config.saveToVariable)!] : [];
  if (step.type === 'mini_app_action') {
    const appId = text(config.appId);
    const actionKey = text(config.actionKey);
    const outputs = appId && actionKey ? actionOutputs?.(appId, actionKey) : undefined;
    return outputs ? [...outputs] : undefined;
  }
  return [];
}

/**
 * The steps a run may go to after this one (server/engine/steps: a jump goes to its target only;
 * a branch, Date & Time or Ask a Question to one of its targets, or the next step where one is
 * left out). A target that names no step is left out: publishing refuses it anyway.
 */
export function stepSuccessors(steps: readonly StepShape[], index: number): number[] {
  const step = steps[index]!;
  const config = record(step.config);
  const at = (id: unknown) => {
    const i = typeof id === 'string' ? steps.findIndex((s) => s.id === id) : -1;
    return i >= 0 ? [i] : [];
  };
  const nextStep = index + 1 < steps.length ? [index + 1] : [];
  const orNext = (id: unknown) => (text(id) ? at(id) : nextStep);
  switch (step.type) {
    case 'jump_to':
      return at(config.stepId);
    case 'branch': {
      const branches = Array.isArray(config.branches) ? config.branches : [];
      return [...branches.flatMap((b) => at(record(b).goTo)), ...orNext(config.elseGoTo)];
    }
    case 'date_time':
      return [...orNext(config.matchGoTo), ...orNext(config.elseGoTo)];
    case 'ask_question':
      return [...orNext(config.answeredGoTo), ...orNext(config.invalidGoTo), ...orNext(config.timeoutGoTo)];
    default:
      return nextStep;
  }
}

/**
 * For every step, the `$step` names some step that may run before it sets: a step reachable
 * from the first whose successors lead, in one or more moves, to this one. A step counts as
 * setting its names on every way out (an over-approximation: never refuses a name a run can have).
 */
export function stepVariables(steps: readonly StepShape[], actionOutputs?: ActionOutputs): StepVariables {
  const n = steps.length;
  const successors = steps.map((_, i) => stepSuccessors(steps, i));
  const before = steps.map(() => new Set<string>());
  const open = steps.map(() => false);
  const setBy = new Map<string, number[]>();
  let anyOpen = false;
  const reachedFrom = (starts: number[]) => {
    const seen = new Set<number>();
    const queue = [...starts];
    while (queue.length) {
      const i = queue.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      queue.push(...successors[i]!);
    }
    return seen;
  };
  const runs = n > 0 ? reachedFrom([0]) : new Set<number>();
  steps.forEach((step, t) => {
    const names = variablesSetBy(step, actionOutputs);
    if (names === undefined) anyOpen = true;
    for (const name of names ?? []) setBy.set(name, [...(setBy.get(name) ?? []), t]);
    if (!runs.has(t) || (names !== undefined && names.length === 0)) return;
    for (const s of reachedFrom(successors[t]!)) {
      if (names === undefined) open[s] = true;
      else for (const name of names) before[s]!.add(name);
    }
  });
  return { before, open, setBy, anyOpen };
}

/**
 * What a step gives `$step`: every name it maps, null where the mapping found nothing or the
 * answer was no JSON (n8n: that node's output is empty), so a later step never reads an earlier
 * step's value of the same name as if this one had answered.
 */
export function mappedStepVariables(mappings: readonly { variable: string }[], values: Record<string, unknown>): Record<string, unknown> {
  return { ...Object.fromEntries(mappings.map((m) => [m.variable, null])), ...values };
}
