import type { Db } from '../store/database';
import { httpStepSecrets } from './http-step-secrets';
import type { Vault } from './vault';
import { workspaceSecrets } from './workspace-secrets';

// What the reads mask stored texts with (stored-texts.ts). Reading the credentials can fail (a
// query the database refuses, a definition that will not parse); the run history, the inbox and
// the channel list must not go down with it. So a failed read masks with what was last read (on a
// first failure, nothing beyond the shapes the logs hide: Meta's EAA… tokens, ict_/ica_ keys,
// whsec_ secrets), says so once in the server log, and tries again a minute later rather than
// on every read (each try may open every sealed credential). New runs are masked where they are
// made; only texts stored by older releases depend on this.

export interface MaskingSecrets {
  /** The workspace's sealed credentials: masked in every stored text. */
  workspace: readonly string[];
  /** The credentials typed into each workflow's HTTP steps: masked in that workflow's runs only. */
  byWorkflow: ReadonlyMap<string, readonly string[]>;
}

const RETRY_AFTER_MS = 60_000;
const known = new WeakMap<Db, MaskingSecrets>();
const failing = new WeakMap<Db, number>();
const NONE: MaskingSecrets = { workspace: [], byWorkflow: new Map() };

export async function maskingSecrets(db: Db, vault: Vault): Promise<MaskingSecrets> {
  const last = known.get(db) ?? NONE;
  const since = failing.get(db);
  if (since !== undefined && Date.now() - since < RETRY_AFTER_MS) return last;
  const [workspace, byWorkflow] = await Promise.allSettled([workspaceSecrets(db, vault), httpStepSecrets(db)]);
  const now: MaskingSecrets = {
    workspace: workspace.status === 'fulfilled' ? workspace.value : last.workspace,
    byWorkflow: byWorkflow.status === 'fulfilled' ? byWorkflow.value : last.byWorkflow,
  };
  known.set(db, now);
  const failed = [workspace, byWorkflow].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) failing.delete(db);
  else {
    if (since === undefined) {
      const why = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
      process.emitWarning(`Could not read the credentials that stored run errors and notes are masked with (${why}); they are shown masked with those read before and by their shapes until a read succeeds (tried again each minute).`);
    }
    failing.set(db, Date.now());
  }
  return now;
}
