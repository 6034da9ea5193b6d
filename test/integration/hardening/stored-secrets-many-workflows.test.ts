import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { versionsOf } from '../../../server/engine/workflows/rerun-saved';
import { startTestServer, type TestServer } from '../../support/server';
import { expectReadsAnswer, failedHttpStepRun } from './failed-http-step-run';

// A workspace that grew to more than a thousand workflows with an HTTP step, restarted (nothing
// read yet): every read that masks stored texts (the run history, the inbox's conversations, the
// channels, the apps) answers, and a stored run still shows its HTTP step's key masked. The
// credentials of every saved version were once read in one query with a term per workflow, which
// SQLite refuses past its expression depth ("Expression tree is too large"): every one of those
// reads answered 500 from then on.

const KEY = 'xk_9f8e7d6c5b4a';
const MANY = 1_250;
/** The same admin token across the restart (a start makes one only on an empty database). */
const ENV = { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1', COMPANION_ADMIN_TOKEN: 'ict_maskfix_admin_token_0123456789abcdef' };

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

it(`answers the masked reads with ${MANY} HTTP-step workflows after a restart`, async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'maskfix-'));
  const sqliteFile = path.join(dir, 'companion.sqlite');
  server = await startTestServer({ sqliteFile, env: ENV });
  const { hook, runId } = await failedHttpStepRun(server, KEY, `POST http://127.0.0.1:9/v1/orders answered 401: bad key ${KEY}`);
  const db = server.app.services.db;

  // The same workflow many times over, as an import would leave them (a version each).
  const row = await db.selectFrom('workflows').selectAll().where('id', '=', hook.id).executeTakeFirstOrThrow();
  const copies = Array.from({ length: MANY }, (_, i) => ({
    ...row, id: `wf_MANY${String(i).padStart(19, '0')}`, name: `Order shipped ${i}`, status: 'draft', version: 1,
    webhook_token: null, webhook_token_hash: null, webhook_signing_secret: null, published_at: null,
  }));
  for (let i = 0; i < copies.length; i += 100) {
    await db.insertInto('workflows').values(copies.slice(i, i + 100)).execute();
    await db.insertInto('workflow_versions').values(copies.slice(i, i + 100).map((c) => ({ workflow_id: c.id, version: 1, definition: c.definition, created_at: c.updated_at }))).execute();
  }
  await server.close();

  server = await startTestServer({ sqliteFile, env: ENV });
  const admin = server.api(server.adminToken);
  await expectReadsAnswer(admin, ['/runs', `/runs/${runId}`, `/workflows/${hook.id}/runs`, '/conversations?status=open', '/channels', '/apps']);
  expect((await admin.get(`/runs/${runId}`)).body.error).toBe('POST http://127.0.0.1:9/v1/orders answered 401: bad key [redacted]');
  // The versions the run history reads for its "Run again from the failed step" (rerun-from.ts), as many at once.
  const versions = await versionsOf(server.app.services.db, copies.map((c) => ({ workflowId: c.id, version: 1 })));
  expect(versions.size).toBe(MANY);
});
