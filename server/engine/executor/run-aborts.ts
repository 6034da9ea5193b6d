import type { Cancellation } from '../../outbound/call';
import type { Executor } from '../../store/database';

/**
 * The outside steps (HTTP request, mini-app action) this process is executing, by run, so that
 * cancelling a run stops its request in flight, as n8n's Stop execution does. A cancel made in
 * this process aborts at once; one made on another instance (PostgreSQL) or on the other thread
 * (SQLite's executor thread) arrives through the engine's bridge (pg-bridge.ts NOTIFY,
 * thread-bridge.ts). Should that notice be lost (the LISTEN connection down), the step still
 * reads the run's status before each further attempt, so none starts after the cancel.
 */
export class RunAborts {
  private inFlight = new Map<string, Set<AbortController>>();
  private relays: ((runIds: string[]) => void)[] = [];

  /** An outside step of `runId` starts: its cancellation, until `done()`. */
  track(runId: string, db: Executor): { cancellation: Cancellation; done(): void } {
    const controller = new AbortController();
    let steps = this.inFlight.get(runId);
    if (!steps) this.inFlight.set(runId, (steps = new Set()));
    steps.add(controller);
    const recheck = async () => {
      // Only the net behind the notice: a database that cannot answer now does not fail the step.
      const row = await db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst().catch(() => 'unknown' as const);
      // Deleted with its contact, or cancelled: either way nobody wants the rest.
      if (row === undefined || (row !== 'unknown' && row.status === 'cancelled')) controller.abort();
    };
    return {
      cancellation: { signal: controller.signal, recheck },
      done: () => {
        steps.delete(controller);
        if (steps.size === 0 && this.inFlight.get(runId) === steps) this.inFlight.delete(runId);
      },
    };
  }

  /**
   * Runs just cancelled (after the commit; only those that were running can have a step in
   * flight): their steps here stop, and the other instances or thread are told.
   */
  cancelled(runIds: readonly string[]) {
    if (runIds.length === 0) return;
    this.abortHere(runIds);
    for (const relay of this.relays) relay([...runIds]);
  }

  /** Runs cancelled elsewhere, as a bridge heard it: their steps in this process stop. */
  abortHere(runIds: readonly string[]) {
    for (const id of runIds) for (const controller of this.inFlight.get(id) ?? []) controller.abort();
  }

  /** How a cancel reaches the other instances or thread (the engine's bridge). */
  addRelay(relay: (runIds: string[]) => void) {
    this.relays.push(relay);
  }
}
