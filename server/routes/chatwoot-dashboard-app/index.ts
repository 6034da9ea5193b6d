import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fromJson } from '../../store/database';

// The launcher as a Chatwoot Dashboard App (Chatwoot: Settings → Integrations → Dashboard Apps,
// URL `PUBLIC_URL/chatwoot/dashboard-app`). Its script is built from components/dashboard-app
// (./bundle.ts): by server/build.mjs into dist/dashboard-app/, next to dist/server.mjs, whose
// build defines where; or in memory on the first request when the server runs from sources.
declare const DASHBOARD_APP_DIR: string | undefined;
const BUILD_DIR = typeof DASHBOARD_APP_DIR === 'string' ? fileURLToPath(new URL(DASHBOARD_APP_DIR, import.meta.url)) : null;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox Companion</title><link rel="stylesheet" href="/chatwoot/dashboard-app/app.css"></head>
<body><div id="root"></div><script src="/chatwoot/dashboard-app/app.js"></script></body></html>
`;

interface Asset { body: Buffer; type: string; etag: string }

const asset = (body: Buffer, type: string): Asset => ({ body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
const TYPES: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

let built: Promise<Map<string, Asset>> | undefined;
/** The script and its styles: from dist/ when built, else built in memory once per process. */
function bundle(): Promise<Map<string, Asset>> {
  built ??= (async () => {
    const files = new Map<string, Asset>();
    if (BUILD_DIR) {
      for (const name of Object.keys(TYPES)) {
        try { files.set(name, asset(fs.readFileSync(path.join(BUILD_DIR, name)), TYPES[name]!)); } catch { /* reported on request */ }
      }
      return files;
    }
    const [{ build }, { dashboardAppBuildOptions }] = await Promise.all([import('esbuild'), import('./bundle')]);
    const result = await build({ ...dashboardAppBuildOptions(path.join(path.dirname(fileURLToPath(import.meta.url)), 'out')), write: false });
    for (const file of result.outputFiles) {
      const name = path.basename(file.path);
      if (TYPES[name]) files.set(name, asset(Buffer.from(file.contents), TYPES[name]));
    }
    return files;
  })();
  built.catch(() => { built = undefined; }); // a fixed source file gets another try
  return built;
}

const hide = { hide: true };

export const chatwootDashboardAppRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;

  /**
   * Chatwoot shows the page in an iframe: only the dashboards of connected Chatwoot accounts may
   * frame it (helmet's default, frame-ancestors 'self' and X-Frame-Options, would refuse them all).
   */
  const frameAncestors = async () => {
    const rows = await db.selectFrom('connections').select('config').where('kind', '=', 'chatwoot').execute();
    const origins = new Set<string>();
    for (const row of rows) {
      const raw: unknown = row.config;
      const config = (typeof raw === 'string' ? fromJson<Record<string, unknown>>(raw, {}) : (raw ?? {})) as { origin?: unknown; baseUrl?: unknown };
      for (const candidate of [config.origin, config.baseUrl]) {
        if (typeof candidate !== 'string') continue;
        try { origins.add(new URL(candidate).origin); } catch { /* not a URL: skip */ }
      }
    }
    return ["'self'", ...origins].join(' ');
  };

  const send = async (req: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    reply.removeHeader('x-frame-options');
    reply.header('content-security-policy', [
      "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
      "connect-src 'self'", "base-uri 'self'", "form-action 'self'", `frame-ancestors ${await frameAncestors()}`,
    ].join('; '));
    reply.header('cache-control', 'no-cache').header('etag', asset.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };

  const page = asset(Buffer.from(PAGE), 'text/html; charset=utf-8');
  app.get('/chatwoot/dashboard-app', { schema: hide }, (req, reply) => send(req, reply, page));

  for (const file of Object.keys(TYPES)) {
    app.get(`/chatwoot/dashboard-app/${file}`, { schema: hide }, async (req, reply) => {
      const found = (await bundle()).get(file);
      if (!found) {
        return reply.code(503).type('application/json').send({
          error: { code: 'not_built', message: 'The Dashboard App is not built: run npm run build:server (it builds dist/dashboard-app/).' },
        });
      }
      return send(req, reply, found);
    });
  }
};
