import type { Contact } from '../../../lib/contracts/contacts';
import type { Conversation } from '../../../lib/contracts/conversations';
import type { StepConfig, StepOf, StepType } from '../../../lib/contracts/steps';
import type { TemplateScope } from '../../../lib/workflow/template';
import type { Cause } from '../../domain/contacts';
import type { UnitOfWork } from '../../events/unit-of-work';
import type { Cancellation } from '../../outbound/call';
import type { Services } from '../../services';
import type { Executor } from '../../store/database';

/**
 * What a step handler returns; the run loop handles each kind in one place.
 * `output` lands in the step log; `stepVariables` are merged into `$step.*` for later steps.
 */
export type StepOutcome =
  | { kind: 'next'; output?: unknown; stepVariables?: Record<string, unknown> }
  | { kind: 'goto'; stepId: string; output?: unknown; stepVariables?: Record<string, unknown> }
  /** `stay`: resume at this same step (a step that waits on something, e.g. a reply), not the next. */
  | { kind: 'pause'; wakeAt: string; output?: unknown; stay?: boolean }
  | { kind: 'fail'; error: string; output?: unknown }
  /** The step did nothing and may pass later: the run waits until `wakeAt` and runs it again (executor/step-retry.ts). */
  | { kind: 'retry'; error: string; wakeAt: string; output?: unknown }
  | { kind: 'complete'; output?: unknown };

export const next = (output?: unknown, stepVariables?: Record<string, unknown>): StepOutcome =>
  ({ kind: 'next', ...(output !== undefined ? { output } : {}), ...(stepVariables ? { stepVariables } : {}) });
export const goTo = (stepId: string, output?: unknown, stepVariables?: Record<string, unknown>): StepOutcome =>
  ({ kind: 'goto', stepId, ...(output !== undefined ? { output } : {}), ...(stepVariables ? { stepVariables } : {}) });
export const pause = (wakeAt: string, output?: unknown): StepOutcome => ({ kind: 'pause', wakeAt, ...(output !== undefined ? { output } : {}) });
/** Waits until `wakeAt` (or an earlier wake) and then runs this same step again. */
export const pauseHere = (wakeAt: string, output?: unknown): StepOutcome => ({ kind: 'pause', wakeAt, stay: true, ...(output !== undefined ? { output } : {}) });
export const fail = (error: string, output?: unknown): StepOutcome => ({ kind: 'fail', error, ...(output !== undefined ? { output } : {}) });

/** A step error that retrying cannot fix; any error thrown by a handler fails the run, this one just reads better. */
export class StepError extends Error {
  override name = 'StepError';
}

/**
 * A failure that did nothing and may pass later: the outside system was busy (429), down (5xx,
 * connection refused) or not ready. The run waits and tries the step again, a few times over
 * about half an hour (executor/step-retry.ts), before it fails. Throw it only when a repeat cannot
 * duplicate anything: the request did not take effect, or doing it twice is the same as once.
 */
export class RetryLaterError extends StepError {
  override name = 'RetryLaterError';
  /**
   * `retryAfterMs`: the outside system's own Retry-After, when it gave one. `attempts`: the quick
   * attempts this try made (an HTTP call's), said in this try's log entry; the run's final error
   * says how often the step was tried instead, not both ("3 attempts … tried 6 times").
   */
  constructor(message: string, readonly retryAfterMs?: number, readonly attempts?: number) {
    super(message);
  }
}

/** The run as a step sees it (read-only; the loop owns the state). */
export interface RunView {
  id: string;
  workflowId: string;
  workflowVersion: number;
  contactId: string;
  /** The conversation the run started from (shortcut launch, conversation trigger), if any. */
  conversationId: string | null;
  depth: number;
  /** Someone waits on this run: it came down the express lane (a shortcut, an ad reply, an answer). */
  waitedOn: boolean;
  variables: Record<string, unknown>;
  /** Start of this step, ISO-8601: the one clock a step reads (`$system.now`, wait). */
  now: string;
}

export interface StepContext<T extends StepType = StepType> {
  services: Services;
  run: RunView;
  step: StepOf<T>;
  config: StepConfig<T>;
  /** The contact as it is when the step starts. */
  contact: Contact;
  /** The contact's open conversation when the step starts (null when none is open). */
  conversation: Conversation | null;
  /** Template variables: contact, conversation, trigger, step, system. */
  scope: TemplateScope;
  /** Renders a text template; unknown variables render '' and are noted in the step log. */
  render(template: string): string;
  /** Renders a JSON body template (values escaped so the result stays JSON); unknowns noted. */
  renderJson(template: string): string;
  /** The raw value of a single-placeholder template (lists, numbers), else its text; unknowns noted. */
  resolve(template: string): unknown;
  /** Adds a note to this step's log entry. */
  note(message: string): void;
  /** Domain changes made by a workflow: source `workflow`, depth one more than the run's (loop guard); never imported. */
  cause: Required<Omit<Cause, 'imported' | 'importNote'>>;
  /**
   * Runs database work. For ordinary steps this is the checkpoint transaction itself, so the
   * step's changes and the cursor move commit together (exactly once). For `outside` steps it is
   * a transaction of its own.
   */
  db<R>(fn: (uow: UnitOfWork) => Promise<R>): Promise<R>;
  /** `${runId}:${stepId}` (plus `:n` when a jump runs the same step an n-th time). */
  idempotencyKey: string;
  /** A RetryLaterError thrown now puts the step off for later; false on its last try (the run then fails). */
  canRetry: boolean;
  /** This execution runs outside any transaction (its definition's `outside` said so): only then may it wait on an outside system. */
  outside: boolean;
  /**
   * The run's cancel, for an `outside` step's requests: aborted when someone cancels the run
   * (here or on another instance), so the request in flight is dropped and no attempt follows.
   * Never aborted for other steps (their transaction is what a cancel stops).
   */
  cancellation: Cancellation;
  /**
   * Performs an outside effect at most once per idempotency key: a stored result (from before a
   * crash) is returned without calling `fn` again. The result must be JSON.
   * With `attempt`, the attempt is recorded before `fn` (for a request that may act out there
   * before its result is stored): see UnfinishedAttempt.
   */
  once<R>(fn: () => Promise<R>, attempt?: UnfinishedAttempt<R>): Promise<R>;
}

/**
 * What a step does when an earlier attempt of its request went out and its result was never
 * stored (the process died, or the database failed, after the request left): call again when a
 * repeat is harmless, or answer without calling (the outcome is unknown). Its answer is kept as
 * the step's result.
 */
export interface UnfinishedAttempt<R> {
  unfinished(): Promise<R>;
}

export interface StepDefinition<T extends StepType = StepType> {
  type: T;
  /**
   * true for steps that wait on the outside world (HTTP): they run outside any database
   * transaction so a slow server never holds a connection; their effect goes through `once`.
   * A function decides per conversation: a message on a built-in conversation is a local write
   * (checkpointed with it), the same step on a connected conversation calls the outside system.
   * It may also look at the contact (`db` is the transaction the step would run in): a contact
   * that lives in Chatwoot is written there, conversation or not.
   * And at the step's `config`: only a template leaves a built-in conversation for WhatsApp.
   */
  outside?: boolean | ((conversation: Conversation | null, contact: { contactId: string; db: Executor; config?: unknown }) => boolean | Promise<boolean>);
  run(ctx: StepContext<T>): Promise<StepOutcome>;
}

export const defineStep = <T extends StepType>(definition: StepDefinition<T>): StepDefinition<T> => definition;
