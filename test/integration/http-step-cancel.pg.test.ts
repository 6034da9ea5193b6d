import type { RunningServer } from '../../server/server';
import { describePg, pgInstances } from '../support/postgres';
import { httpStepCancelSuite } from './http-step-cancel-suite';

// Two instances on one PostgreSQL: the admin cancels on one that executes no runs, the other is
// in the middle of the run's HTTP request; the cancel reaches it through NOTIFY.
describePg('cancelling a run during its HTTP request step (PostgreSQL, executed by another instance)', () => {
  const instances = pgInstances(2, { workers: [false, true], env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
  httpStepCancelSuite(() => {
    const front = instances[0] as RunningServer;
    return { url: front.url, token: front.tokens.admin!, services: front.app.services };
  });
});
