import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

// /docs/json is fed to openapi-generator, orval and ajv as it is: each must read it. It declares
// OpenAPI 3.0, so only 3.0's keywords and formats, every `$ref` names a component it holds, and
// `nullable` sits beside a `type` (3.0.3 ignores it otherwise, and null is then refused).

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let server: TestServer;
let doc: any;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
  doc = (await server.request('GET', '/docs/json')).body;
});
afterAll(async () => { await server?.close(); });

/** Every object in the document with where it is, for messages that name the place. */
function* walk(node: unknown, at: string): Generator<[Record<string, unknown>, string]> {
  if (Array.isArray(node)) { for (const [i, v] of node.entries()) yield* walk(v, `${at}/${i}`); return; }
  if (!node || typeof node !== 'object') return;
  yield [node as Record<string, unknown>, at];
  for (const [k, v] of Object.entries(node)) yield* walk(v, `${at}/${k}`);
}

// OpenAPI 3.0 (Data Types) and JSON Schema's formats; zod's own check names ("starts_with") are none.
const FORMATS = new Set(['int32', 'int64', 'float', 'double', 'byte', 'binary', 'date', 'date-time', 'password', 'email', 'uri', 'uuid', 'regex', 'hostname', 'ipv4', 'ipv6', 'time', 'duration', 'uri-reference']);

it('declares OpenAPI 3.0', () => {
  expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
});

it('has no `$ref` to a component it does not hold', () => {
  const dangling = [...walk(doc, '#')].flatMap(([node, at]) => {
    const ref = node.$ref;
    if (typeof ref !== 'string') return [];
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    return name && doc.components.schemas[name] ? [] : [`${at}: ${ref}`];
  });
  expect(dangling).toEqual([]);
});

it('uses only formats OpenAPI 3.0 tools know', () => {
  const unknown = [...walk(doc, '#')].flatMap(([node, at]) => (typeof node.format === 'string' && !FORMATS.has(node.format) && typeof node.type === 'string' ? [`${at}: ${node.format}`] : []));
  expect(unknown).toEqual([]);
});

it('puts `nullable` only beside a `type`', () => {
  const bare = [...walk(doc, '#')].flatMap(([node, at]) => (node.nullable === true && node.type === undefined ? [at] : []));
  expect(bare).toEqual([]);
});

it('compiles every response schema with ajv, formats checked', () => {
  const ajv = new Ajv({ strict: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ components: doc.components }, 'doc');
  const failed: string[] = [];
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      for (const [status, answer] of Object.entries<any>(op?.responses ?? {})) {
        const schema = answer?.content?.['application/json']?.schema;
        if (!schema) continue;
        try {
          ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')));
        } catch (err) {
          failed.push(`${method.toUpperCase()} ${path} ${status}: ${(err as Error).message}`);
        }
      }
    }
  }
  expect(failed).toEqual([]);
});

// What a generated client types: an answer only under `default` comes back untyped.
it('lists on each route the 409s, 413s and 400s it answers, not only under default', async () => {
  const admin = server.api(server.adminToken);
  const ana = (await admin.post('/contacts', { firstName: 'Ana', phone: '+34600111222' })).body;
  const ben = (await admin.post('/contacts', { firstName: 'Ben' })).body;
  const conversation = (await admin.post('/conversations', { contactId: ana.id })).body;
  const draft = (await admin.post('/workflows', { name: 'Draft', trigger: { type: 'manual' }, steps: [] })).body;
  await admin.post(`/conversations/${conversation.id}/messages`, { text: 'hi' }, { headers: { 'idempotency-key': 'k' } });
  const big = { firstName: 'x'.repeat(2 * 1024 * 1024) };
  const cases: [string, string, () => Promise<{ status: number; body: any }>][] = [
    ['post', '/api/v1/contacts', () => admin.post('/contacts', { firstName: 'Twin', phone: '+34600111222' })],
    ['patch', '/api/v1/contacts/{id}', () => admin.patch(`/contacts/${ben.id}`, { phone: '+34600111222' })],
    ['post', '/api/v1/conversations', () => admin.post('/conversations', { contactId: ana.id })],
    ['post', '/api/v1/conversations/{id}/messages', () => admin.post(`/conversations/${conversation.id}/messages`, { text: 'other' }, { headers: { 'idempotency-key': 'k' } })],
    ['post', '/api/v1/workflows/{id}/start', () => admin.post(`/workflows/${draft.id}/start`, { contact: { id: ana.id } })],
    ['post', '/api/v1/contacts', () => admin.post('/contacts', big)],
    ['patch', '/api/v1/contacts/{id}', () => admin.patch(`/contacts/${ben.id}`, big)],
    ['get', '/api/v1/contacts/{id}', () => server.request('GET', '/api/v1/contacts/%E0%A4%A', { token: server.adminToken })],
    ['post', '/api/v1/conversations/{id}/close', async () => {
      await admin.post(`/conversations/${conversation.id}/close`, {});
      return admin.post(`/conversations/${conversation.id}/close`, {});
    }],
  ];
  for (const [method, path, call] of cases) {
    const res = await call();
    expect([400, 409, 413], `${method} ${path}: ${JSON.stringify(res.body).slice(0, 200)}`).toContain(res.status);
    expect(doc.paths[path][method].responses[String(res.status)], `${method.toUpperCase()} ${path} documents its ${res.status}`).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  }
});
