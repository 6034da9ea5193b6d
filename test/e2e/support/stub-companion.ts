import Fastify from 'fastify';
import type { LiveMessage } from '../../../lib/contracts/events';
import type { Run } from '../../../lib/contracts/runs';
import type { ShortcutList, ShortcutSummary } from '../../../lib/contracts/shortcuts';
import type { Me } from '../../../lib/contracts/users';

/**
 * A small real HTTP server speaking the companion's extension-facing contracts (/me, /shortcuts,
 * launch, runs, the SSE stream), with knobs the real one has no reason to expose: set the list,
 * push a live message, answer 403/422, stop and restart on the same port.
 */
export interface StubCompanion {
  url: string;
  token: string;
  me: Me;
  list: ShortcutList;
  /** Requests seen, as "METHOD /path" (no query). */
  hits: string[];
  launchAnswer: { status: number; body: unknown };
  runs: Map<string, Run>;
  setShortcuts(shortcuts: ShortcutSummary[], opts?: { allowed?: boolean; reason?: string; version?: string }): void;
  publish(message: LiveMessage): void;
  /**
   * As the real server after a deactivation (or a new token): every request with the token is
   * refused with 401 `message`, and open streams get `session.ended` and end.
   */
  cutOff(message: string): void;
  streams(): number;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export const stubShortcut = (id: string, name = `Shortcut ${id}`, form: ShortcutSummary['form'] = { fields: [] }): ShortcutSummary =>
  ({ id, name, description: `${name} description`, icon: 'zap', form });

export async function startStubCompanion(opts: { token?: string; role?: Me['user']['role'] } = {}): Promise<StubCompanion> {
  const token = opts.token ?? 'stub-token';
  const me: Me = {
    user: { id: 'u_agent', name: 'Ada Agent', email: 'ada@example.com', role: opts.role ?? 'agent', kind: 'human', shortcutsEnabled: true, createdAt: '2025-01-01T00:00:00.000Z' },
    permissions: { launchShortcuts: true, configure: false, superviseAgents: false },
  };
  const clients = new Set<(m: LiveMessage) => void>();
  const enders = new Set<(reason: string) => void>();
  let refusal: string | undefined;
  let versionSeq = 1;
  let port = 0;

  const stub: StubCompanion = {
    url: '',
    token,
    me,
    list: { allowed: true, version: 'v1', shortcuts: [] },
    hits: [],
    launchAnswer: { status: 202, body: { runId: 'run_1' } },
    runs: new Map(),
    setShortcuts(shortcuts, o = {}) {
      stub.list = {
        allowed: o.allowed ?? true,
        ...(o.reason ? { reason: o.reason } : {}),
        version: o.version ?? `v${++versionSeq}`,
        shortcuts,
      };
    },
    publish(message) {
      for (const send of clients) send(message);
    },
    cutOff(message) {
      refusal = message;
      for (const end of enders) end(message);
    },
    streams: () => clients.size,
    stop: async () => {
      await app.close();
    },
    restart: async () => {
      app = build();
      await app.listen({ port, host: '127.0.0.1' });
    },
  };

  const build = () => {
    const a = Fastify({ logger: false, forceCloseConnections: true });
    a.addHook('onRequest', async (req, reply) => {
      stub.hits.push(`${req.method} ${req.url.split('?')[0]}`);
      const query = req.query as Record<string, string | undefined>;
      const given = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? query.token;
      if (given !== token || refusal) return reply.code(401).send({ error: { code: 'unauthorized', message: refusal ?? 'Unknown token' } });
    });
    a.get('/api/v1/me', async () => stub.me);
    a.get('/api/v1/shortcuts', async () => stub.list);
    a.post('/api/v1/shortcuts/:id/launch', async (_req, reply) => reply.code(stub.launchAnswer.status).send(stub.launchAnswer.body));
    a.get('/api/v1/runs/:id', async (req, reply) => {
      const run = stub.runs.get((req.params as { id: string }).id);
      return run ?? reply.code(404).send({ error: { code: 'not_found', message: 'No such run' } });
    });
    a.get('/api/v1/events/stream', (req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      reply.raw.write(': hello\n\n');
      const send = (m: LiveMessage) => reply.raw.write(`event: ${m.type}\ndata: ${JSON.stringify(m)}\n\n`);
      const end = (reason: string) => reply.raw.end(`event: session.ended\ndata: ${JSON.stringify({ type: 'session.ended', reason })}\n\n`);
      clients.add(send);
      enders.add(end);
      req.raw.on('close', () => { clients.delete(send); enders.delete(end); });
    });
    a.addHook('onClose', async () => { clients.clear(); enders.clear(); });
    return a;
  };

  let app = build();
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  stub.url = `http://127.0.0.1:${port}`;
  return stub;
}
