import type { Services } from '../services';

const LIVE_TTL_MS = 5_000;
const DEAD_TTL_MS = 1_000;
const MAX_ENTRIES = 10_000;

/**
 * Whether a webhook URL token names a published webhook workflow, asked before a delivery's body
 * is read: a delivery to an unknown or unpublished URL is refused without reading or parsing it.
 * Answers are cached (a known URL for 5 s, an unknown one for 1 s, both dropped whenever
 * definitions change). A stale "live" costs nothing: the ingest transaction checks again and
 * answers 404 as before; a stale "dead" is cleared by the change that made it live.
 */
export class LiveHookTokens {
  private cache = new Map<string, { live: boolean; until: number }>();

  constructor(private readonly lookup: (token: string) => Promise<boolean>) {}

  static of(services: Services, lookup: (token: string) => Promise<boolean>): LiveHookTokens {
    const tokens = new LiveHookTokens(lookup);
    const stop = services.live.watch('definitions.changed', () => tokens.clear());
    services.onClose(stop);
    return tokens;
  }

  /** Synchronous answer when cached (the hot path of a known URL), else undefined. */
  cached(token: string, now = Date.now()): boolean | undefined {
    const hit = this.cache.get(token);
    return hit && hit.until > now ? hit.live : undefined;
  }

  async isLive(token: string, now = Date.now()): Promise<boolean> {
    const cached = this.cached(token, now);
    if (cached !== undefined) return cached;
    const live = await this.lookup(token);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(token, { live, until: now + (live ? LIVE_TTL_MS : DEAD_TTL_MS) });
    return live;
  }

  clear() { this.cache.clear(); }
}
