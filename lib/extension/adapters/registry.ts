import { builtinAdapter } from './builtin';
import { chatwootAdapter } from './chatwoot';
import type { AdapterKind, PageAdapter } from './types';

/** Every page adapter, by kind: adding an inbox is one file and one line here. */
export const ADAPTERS: Record<AdapterKind, PageAdapter> = {
  builtin: builtinAdapter,
  chatwoot: chatwootAdapter,
};

export const ADAPTER_KINDS = Object.keys(ADAPTERS) as AdapterKind[];

export const isAdapterKind = (value: unknown): value is AdapterKind =>
  typeof value === 'string' && Object.hasOwn(ADAPTERS, value);

/**
 * The adapter for a page: the one chosen for its origin in the options page, else the first
 * whose URLs it recognises, else the built-in inbox's.
 */
export function adapterFor(url: URL, chosen?: AdapterKind): PageAdapter {
  if (chosen) return ADAPTERS[chosen];
  return Object.values(ADAPTERS).find((a) => a.matches(url)) ?? builtinAdapter;
}

export type { AdapterKind, ConversationRef, PageAdapter } from './types';
