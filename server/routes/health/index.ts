import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({ ok: true as const }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(app.services.db);
      // COMPANION_STATS=1 (benchmarks): what this process has spent so far, to divide by runs done.
      if (process.env.COMPANION_STATS !== '1') return { ok: true, database: app.services.store.dialect };
      const cpu = process.cpuUsage();
      // With an executor thread, its connection's counts too (cpuUsage is the whole process's already).
      const { counters, peerCounters } = app.services.store;
      const store = counters && peerCounters
        ? { statements: counters.statements + peerCounters.statements, transactions: counters.transactions + peerCounters.transactions }
        : counters ?? null;
      return { ok: true, database: app.services.store.dialect, stats: { cpuUs: cpu.user + cpu.system, store } };
    } catch {
      return reply.code(503).send({ error: { code: 'not_ready', message: 'The database is not reachable' } });
    }
  });
};
