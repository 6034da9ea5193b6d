import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health, Readiness } from '../../../lib/contracts/health';
import { HttpError } from '../../http-error';

// Probed every few seconds by load balancers and orchestrators: their request lines are logged at
// debug (http/request-log.ts), not at info with every other request.
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', {
    config: { requestLog: 'debug' },
    schema: { tags: ['health'], summary: 'Liveness: the process answers', security: [], response: { 200: Health } },
  }, async () => ({ ok: true as const }));
  app.get('/readyz', {
    config: { requestLog: 'debug', errors: { 503: 'The database is not reachable (`not_ready`)' } },
    schema: { tags: ['health'], summary: 'Readiness: the process and its database answer', security: [], response: { 200: Readiness } },
  }, async () => {
    try {
      await sql`select 1`.execute(app.services.db);
      // COMPANION_STATS=yes (benchmarks): what this process has spent so far, to divide by runs done.
      if (!app.services.config.stats) return { ok: true as const, database: app.services.store.dialect };
      const cpu = process.cpuUsage();
      // With an executor thread, its connection's counts too (cpuUsage is the whole process's already).
      const { counters, peerCounters } = app.services.store;
      const store = counters && peerCounters
        ? { statements: counters.statements + peerCounters.statements, transactions: counters.transactions + peerCounters.transactions }
        : counters ? { ...counters } : null;
      return { ok: true as const, database: app.services.store.dialect, stats: { cpuUs: cpu.user + cpu.system, store } };
    } catch {
      throw new HttpError(503, 'not_ready', 'The database is not reachable');
    }
  });
};
