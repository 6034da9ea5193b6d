import type { ShortcutList } from '../contracts/shortcuts';
import type { Me } from '../contracts/users';
import { ApiError, createApiClient, normalizeServerUrl, unreachableMessage, type ApiClient, type ApiClientOptions } from './api-client';
import type { CompanionDb, SyncStatus } from './db';
import { openLiveStream } from './live';
import type { Connection, ConnectionState, Push } from './protocol';

export interface SyncOptions {
  db: CompanionDb;
  broadcast: (push: Push) => Promise<void> | void;
  client?: ApiClientOptions;
  /** Open the SSE stream (off in tests that only exercise the cache). */
  live?: boolean;
  /** Background-triggered revalidations closer together than this are skipped. */
  minIntervalMs?: number;
  liveBackoffMs?: { min: number; max: number };
}

export type CachedList = ShortcutList & { stale: boolean };

/**
 * The background's view of the server: the connection, the Dexie cache of `me` and the
 * shortcut list (stale-while-revalidate), and the live stream that invalidates it.
 */
export class Sync {
  private connection: Connection | null = null;
  private state: ConnectionState = { state: 'disconnected' };
  private status: SyncStatus | undefined;
  private inflight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private lastStartedAt = 0;
  private stream: { stop(): void; url: string } | undefined;
  private generation = 0;
  readonly ready: Promise<void>;

  constructor(private readonly options: SyncOptions) {
    this.ready = this.load();
  }

  private get db() { return this.options.db; }

  private async load() {
    this.connection = (await this.db.getMeta('connection')) ?? null;
    this.status = await this.db.getMeta('sync');
    if (!this.connection) return;
    const me = (await this.db.getMeta('me')) ?? null;
    this.state = this.status?.lastOk && me
      ? { state: 'connected', serverUrl: this.connection.serverUrl, me }
      : { state: 'unreachable', serverUrl: this.connection.serverUrl, me, error: this.status?.lastError?.message ?? 'Not checked yet' };
  }

  client(connection = this.connection): ApiClient | undefined {
    return connection ? createApiClient(connection, this.options.client) : undefined;
  }

  /** Load, revalidate and open the stream: on background start and whenever a page connects. */
  async start() {
    await this.ready;
    if (!this.connection) return;
    this.ensureLive();
    await this.revalidate({ force: true });
  }

  /** Cheap keep-fresh: stream open, revalidation unless one ran within the last second. */
  touch() {
    void this.ready.then(() => {
      if (!this.connection) return;
      this.ensureLive();
      return this.revalidate();
    }).catch(() => undefined);
  }

  stop() {
    this.stream?.stop();
    this.stream = undefined;
  }

  async getState(): Promise<ConnectionState> {
    await this.ready;
    if (this.connection) void this.revalidate().catch(() => undefined);
    return this.state;
  }

  /** Checks the token against /me; only a connection the server accepts is saved. */
  async connect(input: Connection): Promise<ConnectionState> {
    await this.ready;
    let serverUrl: string;
    try {
      serverUrl = normalizeServerUrl(input.serverUrl);
    } catch (err) {
      return { state: 'unreachable', serverUrl: input.serverUrl, me: null, error: (err as Error).message };
    }
    const connection = { serverUrl, token: input.token.trim() };
    let me: Me;
    try {
      me = await this.client(connection)!.me();
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('error', String(err));
      return e.kind === 'unauthorized'
        ? { state: 'unauthorized', serverUrl, error: e.message }
        : { state: 'unreachable', serverUrl, me: null, error: e.message };
    }
    const previous = await this.db.getMeta('list');
    if (previous && (previous.serverUrl !== serverUrl || previous.userId !== me.user.id)) await this.db.forgetAll();
    await this.db.setMeta('connection', connection);
    await this.db.setMeta('me', me);
    this.connection = connection;
    this.generation++;
    this.stop();
    this.setState({ state: 'connected', serverUrl, me });
    await this.revalidate({ force: true }).catch(() => undefined);
    this.ensureLive();
    await this.options.broadcast({ type: 'shortcuts.changed' });
    return this.state;
  }

  async disconnect(): Promise<ConnectionState> {
    await this.ready;
    this.stop();
    this.generation++;
    this.connection = null;
    this.status = undefined;
    await this.db.forgetAll();
    this.setState({ state: 'disconnected' });
    await this.options.broadcast({ type: 'shortcuts.changed' });
    return this.state;
  }

  /** The cached list at once; revalidates in the background (or first, when nothing is cached or `refresh`). */
  async listShortcuts(refresh = false): Promise<CachedList> {
    await this.ready;
    const connection = this.connection;
    if (!connection) {
      return { allowed: false, reason: 'Not connected to a companion server: connect from the extension popup.', version: '', shortcuts: [], stale: true };
    }
    this.ensureLive();
    let cached = await this.readOwnList();
    if (!cached || refresh) {
      await this.revalidate({ force: true }).catch(() => undefined);
      cached = await this.readOwnList();
    } else {
      void this.revalidate().catch(() => undefined);
    }
    const stale = !this.status?.lastOk;
    if (!cached) {
      const reason = this.state.state === 'unauthorized'
        ? `The server no longer accepts your token${this.state.error ? ` (${this.state.error})` : ''}: reconnect from the extension popup.`
        : `${unreachableMessage(connection.serverUrl)}, and no shortcuts are cached yet.`;
      return { allowed: false, reason, version: '', shortcuts: [], stale: true };
    }
    const { meta, shortcuts } = cached;
    return { allowed: meta.allowed, ...(meta.reason ? { reason: meta.reason } : {}), version: meta.version, shortcuts, stale, defaultCountry: meta.defaultCountry ?? null };
  }

  private async readOwnList() {
    const cached = await this.db.readList();
    const me = await this.db.getMeta('me');
    if (!cached || !this.connection || cached.meta.serverUrl !== this.connection.serverUrl || cached.meta.userId !== me?.user.id) return undefined;
    return cached;
  }

  /**
   * One revalidation at a time; a forced request during one runs another after it (the
   * running one may have read the server before the change that asked for it).
   */
  revalidate(opts: { force?: boolean } = {}): Promise<void> {
    if (this.inflight) {
      if (!opts.force) return this.inflight;
      this.queued ??= this.inflight.catch(() => undefined).then(() => {
        this.queued = undefined;
        return this.revalidate({ force: true });
      });
      return this.queued;
    }
    const minInterval = this.options.minIntervalMs ?? 1000;
    if (!opts.force && Date.now() - this.lastStartedAt < minInterval) return Promise.resolve();
    this.lastStartedAt = Date.now();
    this.inflight = this.revalidateOnce().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async revalidateOnce() {
    await this.ready;
    const connection = this.connection;
    const generation = this.generation;
    const client = this.client(connection);
    if (!connection || !client) return;
    const [meResult, listResult] = await Promise.allSettled([client.me(), client.shortcuts()]);
    if (generation !== this.generation) return;
    const now = Date.now();
    if (meResult.status === 'rejected') {
      const e = meResult.reason instanceof ApiError ? meResult.reason : new ApiError('error', String(meResult.reason));
      await this.saveStatus({ lastOk: false, lastError: { kind: e.kind, message: e.message }, lastAttemptAt: now });
      const me = (await this.db.getMeta('me')) ?? null;
      if (e.kind === 'unauthorized') {
        // Token revoked or account deactivated: the cached shortcuts are not theirs to show any
        // more (the launcher says why instead); the connection stays, for the popup to say so.
        const hadList = !!(await this.db.getMeta('list'));
        await this.db.forgetList();
        this.setState({ state: 'unauthorized', serverUrl: connection.serverUrl, error: e.message });
        if (hadList) await this.options.broadcast({ type: 'shortcuts.changed' });
        return;
      }
      this.setState({ state: 'unreachable', serverUrl: connection.serverUrl, me, error: e.message });
      return;
    }
    const me = meResult.value;
    await this.db.setMeta('me', me);
    this.setState({ state: 'connected', serverUrl: connection.serverUrl, me });
    if (listResult.status === 'rejected') {
      const e = listResult.reason instanceof ApiError ? listResult.reason : new ApiError('error', String(listResult.reason));
      await this.saveStatus({ lastOk: false, lastError: { kind: e.kind, message: e.message }, lastAttemptAt: now });
      return;
    }
    const list = listResult.value;
    const previous = await this.readOwnList();
    const changed = !previous || previous.meta.version !== list.version || previous.meta.allowed !== list.allowed
      || previous.meta.reason !== list.reason || (previous.meta.defaultCountry ?? null) !== (list.defaultCountry ?? null);
    if (changed) {
      await this.db.writeList({
        serverUrl: connection.serverUrl, userId: me.user.id, allowed: list.allowed,
        ...(list.reason ? { reason: list.reason } : {}), version: list.version, defaultCountry: list.defaultCountry ?? null, fetchedAt: now,
      }, list.shortcuts);
    }
    const wasStale = !this.status?.lastOk;
    await this.saveStatus({ lastOk: true, lastAttemptAt: now });
    // A list that stops being stale is news too: the UI drops its "offline" hint.
    if (changed || (wasStale && previous)) await this.options.broadcast({ type: 'shortcuts.changed' });
  }

  private async saveStatus(status: SyncStatus) {
    this.status = status;
    await this.db.setMeta('sync', status);
  }

  private setState(next: ConnectionState) {
    const before = JSON.stringify(this.state);
    this.state = next;
    if (JSON.stringify(next) !== before) void Promise.resolve(this.options.broadcast({ type: 'connection.changed' })).catch(() => undefined);
  }

  /** Opens the SSE stream for the current connection unless it is already open. */
  ensureLive() {
    if (this.options.live === false || !this.connection) return;
    const url = this.client()!.streamUrl();
    if (this.stream?.url === url) return;
    this.stream?.stop();
    const backoff = this.options.liveBackoffMs;
    const handle = openLiveStream({
      url,
      ...(this.options.client?.fetch ? { fetch: this.options.client.fetch } : {}),
      ...(backoff ? { minDelayMs: backoff.min, maxDelayMs: backoff.max } : {}),
      onOpen: () => void this.revalidate({ force: true }).catch(() => undefined),
      // Refused (token revoked, account deactivated): find out why through /me, and open the
      // stream again only when asked to (a page connecting, a new token), not in a loop.
      onUnauthorized: () => {
        if (this.stream?.url === url) this.stream = undefined;
        void this.revalidate({ force: true }).catch(() => undefined);
      },
      onMessage: (m) => {
        const mine = m.type === 'user.changed' && this.state.state === 'connected' && m.userId === this.state.me.user.id;
        if (m.type === 'definitions.changed' || m.type === 'restrictions.changed' || m.type === 'session.ended' || mine) {
          void this.revalidate({ force: true }).catch(() => undefined);
        } else if (m.type === 'run.updated') {
          void this.options.broadcast({ type: 'run.updated', runId: m.runId, status: m.status, error: m.error ?? null });
        }
      },
    });
    this.stream = { stop: handle.stop, url };
  }
}
