import { performance } from 'node:perf_hooks';
import { listAllRuns } from '../server/engine/workflows/list-runs';
import { runMasker } from '../server/secrets/stored-texts';
import { workspaceSecrets } from '../server/secrets/workspace-secrets';
import { startTestServer, type TestServer } from '../test/support/server';
import { pgUrl } from '../test/support/postgres';
import { makeContact, publishWebhookWorkflow, waitForRun } from '../test/integration/webhooks/support';

// What masking stored texts on read (secrets/stored-texts.ts) adds to a page of 50 runs in the run
// history (GET /runs?limit=50), in a workspace with 40 webhook workflows (URL token and signing
// secret each), a WhatsApp channel and a Chatwoot account's sealed tokens: 500 runs of 4 steps,
// each with an error, a note and an HTTP answer of ~1 KB (a third with escapes, the slow path).
// Timed: the page's read alone (what the route did before), the masking with the set cached (each
// read: one fingerprint query and the texts), the masking when the set is made again (after a
// credential changed), and the whole GET over loopback. Median of 41 after 5 to warm up.
// Then with 900 more workflows, each with an HTTP step holding its own `X-Api-Key` and `?api_key=`
// (imported drafts, a version each): the masking of the page at rest, right after one of them is
// saved (a new version: the read after it rebuilt every workflow's credentials before they were
// kept per workflow), and once another workflow holds a word-like key that the page's texts hold
// too (`refused`, as "help" in a customer's message): masked in every workflow's runs, it sent each
// such text through the masking (and garbled it). Median of 21 (saves) / 41.
// Run: npx tsx bench/runs-page-masking.ts (PostgreSQL too with TEST_DATABASE_URL)

const RUNS = 500;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < 41; i++) { const t = performance.now(); await fn(); xs.push(performance.now() - t); }
  return median(xs);
}

async function seed(s: TestServer) {
  const { db, vault } = s.app.services;
  let first = '';
  await makeContact(s, { firstName: 'Ada', phone: '+14155550123' });
  for (let i = 0; i < 40; i++) {
    // The first unsigned, to start the run the others are copied from.
    const hook = await publishWebhookWorkflow(s, i === 0 ? {} : { signingSecret: `whsec_${Buffer.alloc(24, i + 1).toString('base64')}` });
    if (i === 0) {
      const res = await s.request('POST', hook.path, { body: { phone: '+14155550123', order: { id: '1' } } });
      if (res.status >= 300) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      first = hook.id;
    }
  }
  const now = new Date().toISOString();
  await db.insertInto('connections').values([
    { id: 'chn_BENCH1', kind: 'whatsapp', name: 'WA', config: JSON.stringify({ phoneNumberId: '1065', tokenLastFour: 'WXYZ' }), secrets: vault.seal(JSON.stringify({ accessToken: 'EAAGbenchToken1234567890WXYZ' })), status: 'active', last_synced_at: null, last_error: null, created_at: now, updated_at: now },
    { id: 'chn_BENCH2', kind: 'chatwoot_tombstone', name: 'CW', config: '{}', secrets: vault.seal(JSON.stringify({ apiAccessToken: 'cwApiToken1234567890abcd', webhookToken: 'cwHookToken0987654321', webhookSecret: null })), status: 'active', last_synced_at: null, last_error: null, created_at: now, updated_at: now },
  ]).execute();
  const template = await db.selectFrom('runs').selectAll().where('workflow_id', '=', first).executeTakeFirstOrThrow();
  await waitForRun(s, template.id);
  const step = (k: number, i: number) => ({
    stepId: `s${k}`, type: 'http_request', status: k === 3 ? 'failed' : 'completed', startedAt: now, endedAt: now,
    ...(k === 3 ? { error: `POST https://api.example.com/orders/${i} answered HTTP 502: upstream refused` } : {}),
    notes: [`Unknown variable {{contact.fields.tier${k}}}`],
    output: { status: 200, response: i % 3 === 0 ? JSON.stringify({ data: 'x'.repeat(900), path: 'a/b/c' }).replace(/\//g, '\\/') : 'y'.repeat(1000) },
  });
  const rows = Array.from({ length: RUNS }, (_, i) => ({
    ...template, id: `run_BENCH${String(i).padStart(17, '0')}`, status: 'failed', error: `Step s3 failed: upstream refused (${i})`,
    step_log: JSON.stringify([0, 1, 2, 3].map((k) => step(k, i))), created_at: new Date(Date.now() - i * 1000).toISOString(),
  }));
  for (let k = 0; k < rows.length; k += 100) await db.insertInto('runs').values(rows.slice(k, k + 100)).execute();
}

const HTTP_WORKFLOWS = 900;

/** An HTTP step's stored definition: the template's trigger, one step holding `key` twice. */
function httpDefinition(template: string, key: string): string {
  const def = JSON.parse(template) as Record<string, unknown>;
  return JSON.stringify({ ...def, steps: [{ id: 'crm', type: 'http_request', config: {
    method: 'POST', url: `https://api.example.com/v1/orders?api_key=${key}Q`, headers: [{ key: 'X-Api-Key', value: key }], timeoutMs: 10_000, responseMappings: [],
  } }] });
}

/** `n` HTTP-step workflows as an import leaves them (drafts, a version each); the ids. */
async function seedHttpWorkflows(s: TestServer, n: number): Promise<string[]> {
  const { db } = s.app.services;
  const row = await db.selectFrom('workflows').selectAll().limit(1).executeTakeFirstOrThrow();
  const rows = Array.from({ length: n }, (_, i) => ({
    ...row, id: `wf_HTTP${String(i).padStart(19, '0')}`, name: `CRM ${i}`, status: 'draft', version: 1, definition: httpDefinition(row.definition, `xk_${i}_9f8e7d6c5b4a`),
    webhook_token: null, webhook_token_hash: null, webhook_signing_secret: null, published_at: null,
  }));
  for (let k = 0; k < rows.length; k += 100) {
    await db.insertInto('workflows').values(rows.slice(k, k + 100)).execute();
    await db.insertInto('workflow_versions').values(rows.slice(k, k + 100).map((r) => ({ workflow_id: r.id, version: 1, definition: r.definition, created_at: r.updated_at }))).execute();
  }
  return rows.map((r) => r.id);
}

/** A save as the service writes it (engine/workflows/service.ts): the row's next version, and that version kept. */
async function save(s: TestServer, id: string, key: string): Promise<void> {
  const { db } = s.app.services;
  const row = await db.selectFrom('workflows').select(['version', 'definition']).where('id', '=', id).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const definition = httpDefinition(row.definition, key);
  await db.updateTable('workflows').set({ version: row.version + 1, definition, updated_at: now }).where('id', '=', id).execute();
  await db.insertInto('workflow_versions').values({ workflow_id: id, version: row.version + 1, definition, created_at: now }).execute();
}

for (const [i, databaseUrl] of [undefined, pgUrl()].entries()) {
  if (i === 1 && !databaseUrl) continue;
  if (databaseUrl === undefined && process.argv.includes('--pg-only')) continue;
  const s = await startTestServer({ ...(databaseUrl ? { databaseUrl } : {}), workers: true });
  try {
    await seed(s);
    const { db, vault } = s.app.services;
    const query = { limit: 50 } as Parameters<typeof listAllRuns>[1];
    const read = await timed(() => listAllRuns(db, query));
    const page = await listAllRuns(db, query);
    const cached = await timed(async () => { const shown = await runMasker(db, vault); page.runs.map(shown); });
    const setOnly = await timed(() => workspaceSecrets(db, vault));
    const shownOnce = await runMasker(db, vault);
    const textsOnly = await timed(async () => { page.runs.map(shownOnce); });
    // A credential changed before each read: the set is made again (every sealed value opened).
    const remade = await timed(async () => {
      await db.updateTable('connections').set({ updated_at: new Date(Date.now() + Math.random() * 1e9).toISOString() }).where('id', '=', 'chn_BENCH1').execute();
      const shown = await runMasker(db, vault); page.runs.map(shown);
    });
    const get = await timed(async () => { const r = await s.api(s.adminToken).get('/runs?limit=50'); if (r.status !== 200) throw new Error(String(r.status)); });
    console.log(`${s.store.dialect}: page read ${read.toFixed(2)} ms; masking, set cached ${cached.toFixed(2)} ms (of which the fingerprint ${setOnly.toFixed(2)} ms, the texts ${textsOnly.toFixed(2)} ms); masking, set made again ${remade.toFixed(2)} ms; GET /runs?limit=50 ${get.toFixed(2)} ms`);

    const ids = await seedHttpWorkflows(s, HTTP_WORKFLOWS);
    const masking = async () => { const shown = await runMasker(db, vault); page.runs.map(shown); };
    const atRest = await timed(masking);
    const afterSave: number[] = [];
    for (let k = 0; k < 21; k++) {
      await save(s, ids[k % ids.length]!, `xk_saved${k}_7a6b5c4d3e2f`);
      const t = performance.now();
      await masking();
      afterSave.push(performance.now() - t);
    }
    await save(s, ids[0]!, 'refused');
    const wordLike = await timed(masking);
    const getAfter = await timed(async () => { const r = await s.api(s.adminToken).get('/runs?limit=50'); if (r.status !== 200) throw new Error(String(r.status)); });
    console.log(`${s.store.dialect}, ${HTTP_WORKFLOWS} HTTP-step workflows more: masking, at rest ${atRest.toFixed(2)} ms; right after a workflow save ${median(afterSave).toFixed(2)} ms; with a word-like key (refused) in another workflow ${wordLike.toFixed(2)} ms; GET /runs?limit=50 ${getAfter.toFixed(2)} ms`);
  } finally {
    await s.close();
  }
}
