import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http-error';

// Relative to this module, or to the built server (dist/server.mjs), whose build defines them:
// index.html and inbox.css are served as they are; the page's scripts are built from
// server/inbox/src, by server/build.mjs into dist/inbox/, or here in memory when run from sources.
declare const INBOX_PUBLIC_DIR: string | undefined;
declare const INBOX_SCRIPTS_DIR: string | undefined;
const PUBLIC_DIR = fileURLToPath(new URL(typeof INBOX_PUBLIC_DIR === 'string' ? INBOX_PUBLIC_DIR : '../../inbox/public/', import.meta.url));
const SCRIPTS_DIR = typeof INBOX_SCRIPTS_DIR === 'string' ? fileURLToPath(new URL(INBOX_SCRIPTS_DIR, import.meta.url)) : null;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset { body: Buffer; type: string; etag: string }

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Every file of the inbox, read once: the page is a handful of small static files. */
export function loadInboxAssets(dir = PUBLIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of fs.readdirSync(dir)) {
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) continue;
    assets.set(name, asset(fs.readFileSync(path.join(dir, name)), type));
  }
  return assets;
}

let fromSources: Promise<Map<string, Asset>> | undefined;
/** Run from sources: the page's modules built in memory with the production options, once per process. */
function buildScriptsFromSources(): Promise<Map<string, Asset>> {
  fromSources ??= (async () => {
    const [{ build }, { inboxBuildOptions, INBOX_SRC_DIR }] = await Promise.all([import('esbuild'), import('../../inbox/bundle')]);
    const result = await build({ ...inboxBuildOptions(path.join(INBOX_SRC_DIR, '..', 'out')), write: false });
    const scripts = new Map<string, Asset>();
    for (const file of result.outputFiles) scripts.set(path.basename(file.path), asset(Buffer.from(file.contents), CONTENT_TYPES['.js']!));
    return scripts;
  })();
  fromSources.catch(() => { fromSources = undefined; }); // a fixed source file gets another try
  return fromSources;
}

/**
 * The built-in agent inbox at /inbox: a static page talking to /api/v1 with the agent's token.
 * Deep links (/inbox/c/:id) serve the same page; the page reads the id from its URL.
 * `no-cache` + ETag: browsers revalidate, so an upgraded server is picked up at once.
 */
export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const assets = loadInboxAssets();
  const page = assets.get('index.html');
  if (!page) throw new Error(`The inbox page is missing from ${PUBLIC_DIR}`);
  let scripts: Map<string, Asset> | undefined;
  if (SCRIPTS_DIR) {
    scripts = fs.existsSync(SCRIPTS_DIR) ? loadInboxAssets(SCRIPTS_DIR) : new Map();
    if (!scripts.has('app.js')) throw new Error(`The inbox page's scripts are missing from ${SCRIPTS_DIR}: run npm run build:server`);
  }

  const send = (req: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    reply.header('cache-control', 'no-cache').header('etag', asset.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };
  const hide = { hide: true };

  // The server's root is the app, as self-hosted Chatwoot's is: a browser pointed at
  // PUBLIC_URL lands in the inbox (the API lives under /api/v1, its docs at /docs).
  app.get('/', { schema: hide }, (_req, reply) => reply.redirect('/inbox/', 302));
  app.get('/inbox', { schema: hide }, (req, reply) => send(req, reply, page));
  app.get('/inbox/', { schema: hide }, (req, reply) => send(req, reply, page));
  app.get('/inbox/c/:conversationId', { schema: { ...hide, params: z.object({ conversationId: z.string().max(64) }) } },
    (req, reply) => send(req, reply, page));
  // A wildcard, not `:file`: the router refuses a parameter over 100 characters with a 414, while
  // a name this page does not have, however long, is simply not found (404).
  app.get('/inbox/assets/*', { schema: { ...hide, params: z.object({ '*': z.string() }) } }, async (req, reply) => {
    const file = req.params['*'];
    const found = file.endsWith('.js')
      ? (scripts ?? await buildScriptsFromSources()).get(file)
      : file === 'index.html' ? undefined : assets.get(file);
    if (!found) throw notFound(`Inbox asset ${file.length > 100 ? `${file.slice(0, 100)}…` : file}`);
    return send(req, reply, found);
  });
};
