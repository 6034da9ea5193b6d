import { serveMessages } from '../../lib/extension/messaging';
import type { ApiCall } from './options-harness';

// GET /workflows as three servers answer it, for the options page's Workflows list: this one
// (search, filters, pages, `total`), the one released before paging (any parameter refused with
// the 422 it gave: "Unknown query parameter limit: this list takes none"), and an older one still
// (parameters ignored, the whole list, no `nextCursor`). Other routes come from `routes`.

const at = '2025-01-01T00:00:00.000Z';

/** A row of GET /workflows. */
export function summary(id: string, name: string, { status = 'draft', trigger = 'conversation_opened' } = {}) {
  const triggerConfig = trigger === 'shortcut' ? { type: 'shortcut', name } : { type: trigger };
  return {
    id, name, trigger: triggerConfig, oncePerContact: false, steps: [], status, version: 1,
    createdAt: at, updatedAt: at, publishedAt: status === 'published' ? at : null, triggerType: trigger, lastRunAt: null,
  };
}
export type Summary = ReturnType<typeof summary>;

export type ServerAge = 'current' | 'refuses-parameters' | 'ignores-parameters';

const REFUSED = (keys: string[]) => ({
  status: 422,
  body: {
    error: {
      code: 'invalid_content',
      message: `The query string is invalid: querystring: Unknown query parameter${keys.length > 1 ? 's' : ''} ${keys.join(', ')}: this list takes none`,
      details: [{ path: 'querystring', message: `Unknown query parameter${keys.length > 1 ? 's' : ''} ${keys.join(', ')}: this list takes none` }],
    },
  },
});

// As the server: part of the name in any case of A–Z, status, trigger; by name, `limit` a page.
function currentAnswer(all: Summary[], query: URLSearchParams) {
  const q = (query.get('q') ?? '').toLowerCase();
  const matching = all.filter((w) => (!q || w.name.toLowerCase().includes(q))
    && (!query.get('status') || w.status === query.get('status'))
    && (!query.get('trigger') || w.trigger.type === query.get('trigger')));
  const start = query.get('cursor') ? Number(query.get('cursor')!.slice(1)) : 0;
  const end = start + Number(query.get('limit') ?? 50);
  return { workflows: matching.slice(start, end), nextCursor: end < matching.length ? `c${end}` : null, total: matching.length };
}

/** Answers the page's `api` messages; every call recorded. `workflows` may change between calls. */
export function serveWorkflows(workflows: () => Summary[], age: ServerAge, routes: Record<string, unknown> = {}) {
  const calls: ApiCall[] = [];
  serveMessages({
    api: async (req) => {
      calls.push({ method: req.method, path: req.path, ...(req.body === undefined ? {} : { body: req.body }) });
      const url = new URL(req.path, 'http://companion');
      if (req.method === 'GET' && url.pathname === '/workflows') {
        const keys = [...url.searchParams.keys()];
        if (age === 'current') return { status: 200, body: currentAnswer(workflows(), url.searchParams) };
        if (age === 'refuses-parameters' && keys.length) return REFUSED([...new Set(keys)]);
        return { status: 200, body: { workflows: workflows() } };
      }
      const route = routes[`${req.method} ${req.path}`];
      if (route === undefined) return { status: 404, body: { error: { code: 'not_found', message: `No route ${req.method} ${req.path}` } } };
      return { status: 200, body: route };
    },
  });
  return calls;
}

/** `count` workflows named "Flow 000"…, every third published, every fourth a shortcut. */
export const manyWorkflows = (count: number) => Array.from({ length: count }, (_, i) => {
  const name = `Flow ${String(i).padStart(3, '0')}`;
  return summary(`wf_${i}`, name, { status: i % 3 === 0 ? 'published' : 'draft', trigger: i % 4 === 0 ? 'shortcut' : 'conversation_opened' });
});
