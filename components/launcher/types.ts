import type { ConnectionState, LaunchOutcome, Push } from '../../lib/extension/protocol';
import type { ShortcutList } from '../../lib/contracts/shortcuts';
import type { Run } from '../../lib/contracts/runs';
import type { FormModule } from '../forms/mount';

/** What the launcher needs from the background (the content script wires typed messages in). */
export interface LauncherApi {
  getConnection(): Promise<ConnectionState>;
  listShortcuts(req: { refresh?: boolean }): Promise<ShortcutList & { stale: boolean }>;
  launchShortcut(req: { shortcutId: string; conversationId: string; values: Record<string, unknown> }): Promise<LaunchOutcome>;
  getRun(req: { runId: string }): Promise<Run | null>;
  onPush(listener: (push: Push) => void): () => void;
}

/** The form renderer, loaded on demand; `current` is set once loaded, so later opens are synchronous. */
export interface FormLoader {
  /** The module brings its own React: it may render synchronously from our commit. */
  separateReact?: boolean;
  current(): FormModule | null;
  load(): Promise<FormModule>;
}

export const MENU_RENDERED_MARK = 'ic:menu-rendered';
export const LAUNCHER_CLICK_MARK = 'ic:launcher-click';
export const SHORTCUT_PICKED_MARK = 'ic:shortcut-picked';
