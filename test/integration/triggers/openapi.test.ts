import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';

// The OpenAPI description at /docs/json is generated from the same zod schemas the routes use:
// the new routes and step types are described without a second copy.

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server?.close(); });

it('describes the new routes and step types', async () => {
  const res = await server.request('GET', '/docs/json');
  expect(res.status).toBe(200);
  const doc = res.body as { paths: Record<string, Record<string, unknown>> };
  for (const [path, method] of [
    ['/api/v1/contacts/{id}/merge', 'post'], ['/api/v1/workflows/{id}/start', 'post'], ['/api/v1/tags', 'get'],
    ['/api/v1/contacts/{id}/tags', 'get'], ['/api/v1/settings/lifecycle-stages', 'put'], ['/api/v1/contacts/{id}', 'delete'],
    ['/api/v1/contacts/import', 'post'],
  ] as const) {
    expect(doc.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
  }
  // A contact import's rows are checked one by one, yet documented as the contact they are.
  expect(JSON.stringify(doc.paths['/api/v1/contacts/import'])).toMatch(/"items":\{"type":"object","properties":\{"firstName"/);
  const text = JSON.stringify(doc.paths['/api/v1/workflows']);
  for (const type of ['date_time', 'update_lifecycle_stage', 'ask_question']) expect(text).toContain(`"${type}"`);
  expect(JSON.stringify(doc.paths['/api/v1/users'])).toContain('"bot"');
  // Deleting a contact says what it erases and what it does not (Chatwoot keeps its copy).
  expect(doc.paths['/api/v1/contacts/{id}']?.delete).toMatchObject({ summary: expect.stringMatching(/^Delete a contact/), description: expect.stringMatching(/Chatwoot/) });
});
