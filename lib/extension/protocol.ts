import type { Me } from '../contracts/users';
import type { LaunchBody, LaunchResult, ShortcutList } from '../contracts/shortcuts';
import type { Run } from '../contracts/runs';
import type { AwaitingAnswerState, TakeOverResult } from '../contracts/conversations';
import type { AdapterHealth } from './adapters/placement';

/** Where the extension talks to: set from the popup or options page. */
export interface Connection { serverUrl: string; token: string }

export type ConnectionState =
  | { state: 'disconnected' }
  | { state: 'connected'; serverUrl: string; me: Me }
  | { state: 'unreachable'; serverUrl: string; me: Me | null; error: string }
  | { state: 'unauthorized'; serverUrl: string; error: string };

/** What a launch came to, as the UI shows it. */
export type LaunchOutcome =
  | ({ ok: true } & LaunchResult)
  /** unavailable: the shortcut was unpublished or removed meanwhile (SHORTCUT_UNAVAILABLE); trying again cannot help. */
  | { ok: false; kind: 'unreachable' | 'forbidden' | 'invalid' | 'unavailable' | 'error'; message: string; details?: { path: string; message: string }[] };

/** A conversation of an outside inbox (Chatwoot), as the page adapter reads it. */
export interface OutsideConversation { inbox: 'chatwoot'; origin: string; accountId: string; conversationId: string }

/** The companion conversation an outside one maps to, or why there is none. */
export type ResolveOutcome =
  | { ok: true; conversationId: string }
  | { ok: false; kind: 'not_connected' | 'not_found' | 'unreachable' | 'error'; message: string };

/**
 * The one declaration of every message between content script, popup, options and background.
 * Requests go to the background; the background answers. Pushes (background -> tabs) are `Push`.
 */
export interface ProtocolMap {
  getConnection(): ConnectionState;
  connect(c: Connection): ConnectionState;
  disconnect(): ConnectionState;
  /** Served from the Dexie cache at once; `refresh` also revalidates against the server. */
  listShortcuts(req: { refresh?: boolean }): ShortcutList & { stale: boolean };
  launchShortcut(req: { shortcutId: string } & LaunchBody): LaunchOutcome;
  getRun(req: { runId: string }): Run | null;
  /** Maps an outside inbox's conversation to the companion's (cached in the background). */
  resolveConversation(req: OutsideConversation & { fresh?: boolean }): ResolveOutcome;
  /**
   * Whether a workflow's question waits on this companion conversation's customer. Throws when
   * that cannot be told (not connected, unreachable): unknown is not "none".
   */
  awaitingAnswer(req: { conversationId: string }): AwaitingAnswerState;
  /** The agent takes over from that question (only `runId`'s): the workflow stops. Throws with the server's refusal. */
  takeOver(req: { conversationId: string; runId: string }): TakeOverResult;
  /** A content script says how its page adapter fares in its tab (the popup shows it). */
  reportAdapter(health: AdapterHealth): null;
  /** What the content script in that tab last reported, if any. */
  getAdapterHealth(req: { tabId: number }): AdapterHealth | null;
  /**
   * Generic authenticated API call for the options page (admin console), on the connected server
   * only. `path` is under /api/v1 (`/workflows/abc`) or a full `/api/...` path. Never throws on an
   * HTTP status; status 0 = not connected or unreachable (body is `{ error: { code, message } }`).
   */
  api(req: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown }): { status: number; body: unknown };
}

/** Pushed from the background to content scripts and extension pages. */
export type Push =
  | { type: 'shortcuts.changed' }
  | { type: 'run.updated'; runId: string; status: string; error?: string | null }
  | { type: 'connection.changed' }
  /** The keyboard command `open-shortcuts`, sent to the active tab's content script only. */
  | { type: 'open-launcher' };

/** Name of the port a page opens (`keepBackgroundAwake`) so the background revalidates and keeps its stream. */
export const LIVE_PORT = 'ic-live';

export type RequestName = keyof ProtocolMap;
export type RequestOf<K extends RequestName> = Parameters<ProtocolMap[K]>[0];
export type ResponseOf<K extends RequestName> = ReturnType<ProtocolMap[K]>;

export interface Envelope<K extends RequestName = RequestName> { ic: 'request'; name: K; data: RequestOf<K> }
export type Reply<K extends RequestName = RequestName> = { ok: true; data: ResponseOf<K> } | { ok: false; error: string };
