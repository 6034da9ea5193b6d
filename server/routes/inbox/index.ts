import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http-error';

// Relative to this module, or to the built server (dist/server.mjs), whose build defines it.
declare const INBOX_PUBLIC_DIR: string | undefined;
const PUBLIC_DIR = fileURLToPath(new URL(typeof INBOX_PUBLIC_DIR === 'string' ? INBOX_PUBLIC_DIR : '../../inbox/public/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset { body: Buffer; type: string; etag: string }

/** Every file of the inbox, read once: the page is a handful of small static files. */
export function loadInboxAssets(dir = PUBLIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of fs.readdirSync(dir)) {
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, type, etag });
  }
  return assets;
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

  const send = (req: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    reply.header('cache-control', 'no-cache').header('etag', asset.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };
  const hide = { hide: true };

  app.get('/inbox', { schema: hide }, (req, reply) => send(req, reply, page));
  app.get('/inbox/', { schema: hide }, (req, reply) => send(req, reply, page));
  app.get('/inbox/c/:conversationId', { schema: { ...hide, params: z.object({ conversationId: z.string().max(64) }) } },
    (req, reply) => send(req, reply, page));
  app.get('/inbox/assets/:file', { schema: { ...hide, params: z.object({ file: z.string().max(100) }) } }, (req, reply) => {
    const asset = req.params.file === 'index.html' ? undefined : assets.get(req.params.file);
    if (!asset) throw notFound(`Inbox asset ${req.params.file}`);
    return send(req, reply, asset);
  });
};
