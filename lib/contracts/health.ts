import { z } from 'zod';

/** GET /healthz: the process answers (load balancers' liveness probe). */
export const Health = z.object({ ok: z.literal(true) });

/** GET /readyz: the database answers too (readiness probe); 503 `not_ready` otherwise. */
export const Readiness = z.object({
  ok: z.literal(true),
  database: z.enum(['sqlite', 'postgres']),
  // COMPANION_STATS=1 (benchmarks); loose: the store's counters differ by dialect.
  stats: z.looseObject({ cpuUs: z.number(), store: z.looseObject({ statements: z.number(), transactions: z.number() }).nullable() })
    .optional().describe('With COMPANION_STATS=1 only: CPU µs spent and the store\'s statement and transaction counts (benchmarks)'),
});
