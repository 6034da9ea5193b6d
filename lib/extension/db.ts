import { Dexie, type EntityTable } from 'dexie';
import type { ShortcutSummary } from '../contracts/shortcuts';
import type { Me } from '../contracts/users';
import type { Connection } from './protocol';

/** One cached shortcut; `order` keeps the server's order. */
export type CachedShortcut = ShortcutSummary & { order: number };

/** What the cache knows about the list as a whole, and whose list it is. */
export interface ListMeta {
  serverUrl: string;
  userId: string;
  allowed: boolean;
  reason?: string;
  version: string;
  /** The workspace's default country, cached with the list (ShortcutList.defaultCountry). */
  defaultCountry?: string | null;
  fetchedAt: number;
}

export interface SyncStatus {
  /** The outcome of the last revalidation. */
  lastOk: boolean;
  lastError?: { kind: string; message: string };
  lastAttemptAt: number;
}

type MetaRow =
  | { key: 'connection'; value: Connection }
  | { key: 'me'; value: Me }
  | { key: 'list'; value: ListMeta }
  | { key: 'sync'; value: SyncStatus };
export type MetaKey = MetaRow['key'];
export type MetaValue<K extends MetaKey> = Extract<MetaRow, { key: K }>['value'];

/**
 * The extension's cache. Lives in the extension origin: opened only by the background
 * (a content script's IndexedDB would be the inbox page's).
 */
export class CompanionDb extends Dexie {
  shortcuts!: EntityTable<CachedShortcut, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name = 'inbox-companion') {
    super(name);
    this.version(1).stores({ shortcuts: 'id, order', meta: 'key' });
  }

  async getMeta<K extends MetaKey>(key: K): Promise<MetaValue<K> | undefined> {
    const row = await this.meta.get(key);
    return row?.value as MetaValue<K> | undefined;
  }

  async setMeta<K extends MetaKey>(key: K, value: MetaValue<K>) {
    await this.meta.put({ key, value } as MetaRow);
  }

  async readList(): Promise<{ meta: ListMeta; shortcuts: ShortcutSummary[] } | undefined> {
    return this.transaction('r', this.meta, this.shortcuts, async () => {
      const meta = await this.getMeta('list');
      if (!meta) return undefined;
      const rows = await this.shortcuts.orderBy('order').toArray();
      return { meta, shortcuts: rows.map(({ order: _order, ...s }) => s) };
    });
  }

  async writeList(meta: ListMeta, shortcuts: ShortcutSummary[]) {
    await this.transaction('rw', this.meta, this.shortcuts, async () => {
      await this.shortcuts.clear();
      await this.shortcuts.bulkPut(shortcuts.map((s, order) => ({ ...s, order })));
      await this.setMeta('list', meta);
    });
  }

  /** Forget the cached list (the connection stays): the server no longer accepts the token. */
  async forgetList() {
    await this.transaction('rw', this.meta, this.shortcuts, async () => {
      await this.shortcuts.clear();
      await this.meta.delete('list');
    });
  }

  /** Forget everything that belongs to a server/user (the connection itself included). */
  async forgetAll() {
    await this.transaction('rw', this.meta, this.shortcuts, async () => {
      await this.shortcuts.clear();
      await this.meta.clear();
    });
  }
}

let opened: CompanionDb | undefined;

/** The background's one database. */
export function openCompanionDb(): CompanionDb {
  opened ??= new CompanionDb();
  return opened;
}
