import http from 'node:http';
import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listQuery } from '../../lib/contracts/list-query';
import { installErrorHandler } from '../../server/error-handler';
import { patternOf } from '../../server/http/route-methods';
import { forwardTo, listenOnLoopback } from './loopback-proxy';

/**
 * A route a release did not have yet, in Fastify's syntax (`POST /api/v1/runs/:id/rerun`); with
 * `parameters`, a route it had but without those query parameters (`launchedBy` on GET /runs).
 */
export interface AbsentRoute { method: string; url: string; parameters?: { absent: string[]; takes: string[] } }

export interface OlderRelease {
  url: string;
  /** The requests it answered itself, as `METHOD /path`. */
  refused: string[];
  close(): Promise<void>;
}

/**
 * The real server as a release without `absent` answered it: those requests get the real
 * not-found handler's answer (server/error-handler.ts, on a Fastify that has no such route:
 * 404 `not_found` "No route POST /api/v1/…", as every release since the first), or for a
 * parameter it lacks the real 422 of a strict query; every other request goes through to
 * `target` unchanged, so the client talks to one real server that is older than itself.
 */
export async function startOlderRelease(target: { url: string }, absent: AbsentRoute[]): Promise<OlderRelease> {
  const upstream = new URL(target.url);
  const release = Fastify({ logger: false });
  release.setValidatorCompiler(validatorCompiler);
  installErrorHandler(release);
  // A route without some parameters: the release's strict query (list-query.ts) refuses them, 422.
  for (const r of absent) {
    if (!r.parameters) continue;
    const querystring = listQuery(Object.fromEntries(r.parameters.takes.map((k) => [k, z.string().optional()])));
    release.route({ method: r.method.toUpperCase() as 'GET', url: r.url, schema: { querystring }, handler: async () => ({}) });
  }
  await release.ready();
  const missing = absent.map((r) => ({
    method: r.method.toUpperCase(), pattern: patternOf(r.url),
    refuses: (search: URLSearchParams) => !r.parameters || r.parameters.absent.some((p) => search.has(p)),
  }));
  const refused: string[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://release');
    const path = url.pathname;
    if (missing.some((m) => m.method === req.method && m.pattern.test(path) && m.refuses(url.searchParams))) {
      refused.push(`${req.method} ${path}`);
      req.resume();
      void release.inject({ method: req.method as 'POST', url: req.url ?? '/' }).then((answer) => {
        res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
        res.end(answer.body);
      });
      return;
    }
    forwardTo(upstream, req, res);
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    refused,
    close: async () => {
      await listening.close();
      await release.close();
    },
  };
}
