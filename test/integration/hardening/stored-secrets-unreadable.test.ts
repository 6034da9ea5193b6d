import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { expectReadsAnswer, failedHttpStepRun } from './failed-http-step-run';

// When the credentials that stored texts are masked with cannot be read, the run history still
// answers: masked with what could be read (here the run's own HTTP step key) and by the shapes the
// logs hide (a Meta token), not a 500 on every read.

const KEY = 'xk_9f8e7d6c5b4a';
const META_TOKEN = 'EAAGm0PX4ZCpsBAstored1234';

let server: TestServer;
beforeEach(async () => { server = await startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } }); });
afterEach(async () => {
  await sql`alter table apps_unreadable rename to apps`.execute(server.app.services.db).catch(() => undefined);
  await server.close();
});

it('a run is shown masked when the workspace\'s sealed credentials cannot be read', async () => {
  const admin = server.api(server.adminToken);
  const { runId } = await failedHttpStepRun(server, KEY, `bad key ${KEY}; then ${META_TOKEN} refused`);
  // The apps' sealed secrets cannot be read now (as a query the database refuses).
  await sql`alter table apps rename to apps_unreadable`.execute(server.app.services.db);

  await expectReadsAnswer(admin, [`/runs/${runId}`, '/runs', '/channels']);
  expect((await admin.get(`/runs/${runId}`)).body.error).toBe('bad key [redacted]; then [redacted] refused');
});
