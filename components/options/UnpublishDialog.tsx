import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { UnfinishedRunCounts } from '../../lib/contracts/runs';
import { request } from './api';

type Named = { id: string; name: string };

/**
 * Unpublish with a question when the workflow still has runs going (n8n and respond.io users
 * expect "stop this workflow" to be able to stop them): their count comes from the server, and
 * with none there is nothing to ask. `unpublish` does the call, `cancelRuns` as chosen; errors
 * (the count's too) reach the caller of `ask` or of the dialog's buttons through `onError`.
 */
export function useUnpublishChoice<W extends Named>(unpublish: (workflow: W, cancelRuns: boolean) => Promise<unknown>, onError: (err: unknown, workflow: W) => void) {
  const [asking, setAsking] = useState<{ workflow: W; unfinished: UnfinishedRunCounts }>();
  const [counting, setCounting] = useState(false);
  const ask = async (workflow: W) => {
    setCounting(true);
    try {
      const unfinished = await request(UnfinishedRunCounts, 'GET', `/workflows/${encodeURIComponent(workflow.id)}/runs/unfinished`);
      if (unfinished.total === 0) await unpublish(workflow, false);
      else setAsking({ workflow, unfinished });
    } catch (err) {
      onError(err, workflow);
    } finally {
      setCounting(false);
    }
  };
  const choose = (cancelRuns: boolean) => {
    if (!asking) return;
    const { workflow } = asking;
    setAsking(undefined);
    unpublish(workflow, cancelRuns).catch((err: unknown) => onError(err, workflow));
  };
  const dialog = asking
    ? <UnpublishDialog name={asking.workflow.name} unfinished={asking.unfinished} onChoose={choose} onClose={() => setAsking(undefined)} />
    : null;
  return { ask, dialog, counting };
}

const runs = (n: number) => `${n} unfinished run${n === 1 ? '' : 's'}`;

interface Props {
  name: string;
  unfinished: UnfinishedRunCounts;
  onChoose(cancelRuns: boolean): void;
  onClose(): void;
}

/** "This workflow has N unfinished runs: let them finish, or cancel them?" */
export function UnpublishDialog({ name, unfinished: u, onChoose, onClose }: Props): ReactNode {
  const title = useId();
  const text = useId();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => { first.current?.focus(); }, []);
  const parts = ([['queued', u.queued], ['waiting', u.waiting], ['in the middle of a step', u.running]] as const)
    .filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
  return (
    <div className="notice warn" role="alertdialog" aria-modal="true" aria-labelledby={title} aria-describedby={text}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <h3 id={title}>Unpublish “{name}”?</h3>
      <p id={text}>This workflow has {runs(u.total)}: let them finish, or cancel them?</p>
      <p className="hint">
        {parts.join(', ')}. Nothing new starts either way. Runs let finish go on with the version they started
        with (a Wait that ends, a question answered). Cancelled runs stop where they are: one in the middle of
        a step stops there, and what it already sent stays sent.
      </p>
      <div className="row">
        <button type="button" ref={first} onClick={() => onChoose(false)}>Let them finish</button>
        <button type="button" className="danger" onClick={() => onChoose(true)}>Cancel them</button>
        <button type="button" className="link" onClick={onClose}>Keep it published</button>
      </div>
    </div>
  );
}
