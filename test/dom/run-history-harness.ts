import { within } from '@testing-library/react';
import type { Run } from '../../lib/contracts/runs';
import { ok, type Routes } from './options-harness';

// Shared by the run history's component tests (Run again, from the start or the failed step).

/** A run's row in the Runs table, to find its buttons and status in. */
export const runRow = (id: string) => within(document.querySelector<HTMLElement>(`tr[data-run-id="${id}"]`)!);

/**
 * The routes the history of one workflow reads: `list` (its GET) answers `runs` as they are at
 * each call, and every run's contact is Ana (ct_1), created `at`.
 */
export const runListRoutes = (list: string, runs: Run[], at: string): Routes => ({
  'GET /contacts/ct_1': ok({ id: 'ct_1', firstName: 'Ana', lastName: '', phone: null, email: null, tags: [], fields: {}, createdAt: at }),
  [list]: () => ok({ runs, nextCursor: null }),
});

/**
 * POST /runs/<id>/rerun of `runs[0]` as the server answers it: `rerun` is started (201) and listed
 * first from then on, and the run it repeats names it as its rerun.
 */
export const rerunStarts = (runs: Run[], rerun: Run) => () => {
  runs.unshift(rerun);
  runs[1] = { ...runs[1]!, rerunAs: rerun.id };
  return { status: 201, body: rerun };
};
