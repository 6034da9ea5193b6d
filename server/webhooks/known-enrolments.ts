import { pairKey } from './batch-store';

/**
 * (workflow, contact) pairs this process has seen enrolled in a committed transaction. An
 * enrolment row is never taken back while both ends exist (merging moves it to the survivor;
 * only deleting the contact or the workflow removes it, and then no delivery names the pair
 * again), so "known enrolled" stays true: a batch whose pairs are all known skips the
 * enrolment insert, which wrote nothing for them anyway. Bounded: past `max` it starts over.
 */
export class KnownEnrolments {
  private pairs = new Set<string>();
  constructor(private readonly max = 100_000) {}

  has(workflowId: string, contactId: string): boolean {
    return this.pairs.has(pairKey(workflowId, contactId));
  }

  /** Call after the commit that enrolled them: a rolled-back enrolment must not be remembered. */
  add(pairs: Iterable<{ workflow_id: string; contact_id: string }>) {
    for (const p of pairs) {
      if (this.pairs.size >= this.max) this.pairs.clear();
      this.pairs.add(pairKey(p.workflow_id, p.contact_id));
    }
  }
}
