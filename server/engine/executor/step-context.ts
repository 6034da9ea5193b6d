import type { Contact } from '../../../lib/contracts/contacts';
import type { Conversation } from '../../../lib/contracts/conversations';
import type { Step } from '../../../lib/contracts/steps';
import { conversationScope, renderJsonTemplate, renderTemplate, resolveTemplateValue, type TemplateScope } from '../../../lib/workflow/template';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Cancellation } from '../../outbound/call';
import { nowIso } from '../../ids';
import type { Services } from '../../services';
import { insertOne } from '../../store/compiled-sql';
import { fromJson, isUniqueViolation, toJson, type Executor } from '../../store/database';
import { RetryLaterError, type RunView, type StepContext, type UnfinishedAttempt } from '../steps/define';

export interface ContextInput {
  services: Services;
  run: RunView;
  step: Step;
  contact: Contact;
  conversation: Conversation | null;
  idempotencyKey: string;
  /** Whether a RetryLaterError would be retried (see step-retry.ts `mayRetry`). */
  canRetry?: boolean;
  /** An outside step's: aborted when the run is cancelled (run-aborts.ts). */
  cancellation?: Cancellation;
  /** The step runs outside any transaction (then it has a cancellation too). */
  outside?: boolean;
  /** Collected into the step's log entry. */
  notes: string[];
  db: <R>(fn: (uow: UnitOfWork) => Promise<R>) => Promise<R>;
  /** Where step_effects are read and written: the checkpoint transaction, or the database. */
  effects: Executor;
  /**
   * The run was queued when this transaction took it: it never ran, so no effect of it is
   * recorded anywhere, and `effects` is this transaction (a run round). `once` then neither looks
   * for one (a round trip per effect on PostgreSQL) nor can collide with one: its record goes out
   * with the transaction's next statement (DEFERRED).
   */
  fresh?: boolean;
}

/** Steps in a transaction are stopped by the cancel's fence, not by an abort. */
const NOT_CANCELLED: Cancellation = { signal: new AbortController().signal };

export function templateScope(run: RunView, contact: Contact, conversation: Conversation | null): TemplateScope {
  const vars = run.variables;
  const record = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  return {
    contact: { ...contact },
    conversation: conversationScope(conversation),
    trigger: record(vars.trigger),
    step: record(vars.step),
    system: { now: run.now },
  };
}

/** An event's note as a step's: "Not started: the loop guard … (event evt_…)". */
export const eventNote = (note: string, eventId: string) => `${note.charAt(0).toUpperCase()}${note.slice(1)} (event ${eventId})`;

export function buildStepContext(input: ContextInput): StepContext {
  const { services, run, step, contact, conversation, notes } = input;
  const scope = templateScope(run, contact, conversation);
  const note = (message: string) => { if (!notes.includes(message)) notes.push(message); };
  const noteUnknown = (unknown: string[]) => { for (const name of unknown) note(`Unknown variable ${name} rendered empty`); };
  return {
    services, run, step, config: step.config, contact, conversation, scope,
    render(template) { const r = renderTemplate(template, scope); noteUnknown(r.unknown); return r.text; },
    renderJson(template) { const r = renderJsonTemplate(template, scope); noteUnknown(r.unknown); return r.text; },
    resolve(template) { const r = resolveTemplateValue(template, scope); noteUnknown(r.unknown); return r.value; },
    note,
    cause: { source: 'workflow', depth: run.depth + 1, by: run.workflowId, waited: run.waitedOn, onNote: (n, eventId) => note(eventNote(n, eventId)) },
    db: input.db,
    idempotencyKey: input.idempotencyKey,
    canRetry: input.canRetry ?? false,
    outside: input.outside ?? false,
    cancellation: input.cancellation ?? NOT_CANCELLED,
    async once<R>(fn: () => Promise<R>, attempt?: UnfinishedAttempt<R>): Promise<R> {
      const key = input.idempotencyKey;
      // The marker must be committed before the request (attempted): written in the round's
      // transaction, a crash would roll it back with the step, and the request would go again.
      if (attempt && input.effects.isTransaction) {
        throw new Error(`Step ${input.step.type} passes an attempt to once() but runs in a transaction: only a step that runs outside one (outside: true) may`);
      }
      const done = input.fresh ? undefined : await input.effects.selectFrom('step_effects').select('result').where('key', '=', key).executeTakeFirst();
      if (done) {
        note(`Effect ${key} was already done before a restart; not repeated`);
        return fromJson<R>(done.result, undefined as R);
      }
      const result = attempt ? await attempted(input.effects, key, fn, attempt) : await fn();
      if (input.fresh) {
        await insertOne(input.effects, 'step_effects', { key, result: toJson(result), created_at: nowIso() }, { deferred: true });
        return result;
      }
      try {
        await input.effects.insertInto('step_effects').values({ key, result: toJson(result), created_at: nowIso() }).execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      return result;
    },
  };
}

/**
 * The attempt is committed before `fn` sends anything (`db` is the database, not a transaction:
 * once() refuses an attempt in a transaction; the step waits on the network anyway, so
 * the extra write costs nothing noticeable): a process killed during the request, or a database
 * that fails the writes after it, leaves the attempt without a result, and the step run again
 * then gets `unfinished()` instead of sending blindly a second time. A RetryLaterError says the
 * request did nothing, so the attempt is taken back and the next try sends.
 */
async function attempted<R>(db: Executor, key: string, fn: () => Promise<R>, attempt: UnfinishedAttempt<R>): Promise<R> {
  const marker = `${key}:attempt`;
  const made = await db.insertInto('step_effects').values({ key: marker, result: '"attempted"', created_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  try {
    return await (Number(made.numInsertedOrUpdatedRows ?? 0n) > 0 ? fn() : attempt.unfinished());
  } catch (err) {
    if (err instanceof RetryLaterError) await db.deleteFrom('step_effects').where('key', '=', marker).execute();
    throw err;
  }
}
