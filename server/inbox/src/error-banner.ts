import { ApiError } from './api.js';
import { $, contactName } from './dom.js';
import type { ConversationListItem } from './wire.js';

// An error belongs to the conversation it was about (or to the list: null): going to another
// conversation, or back to the list, takes it down, so it is never read as being about the new one.

export interface ErrorBannerOptions {
  /** The conversation shown now. */
  shownId: () => string | null;
  /** The list's row of a conversation, if it is loaded (it names the contact). */
  row: (id: string) => ConversationListItem | undefined;
}

export interface ErrorBanner {
  /** `about`: the conversation the failed call was about (default: the one shown). */
  show(err: unknown, about?: string | null): void;
  /** The page now shows `next` (null: no conversation): an error about something else goes. */
  leaveFor(next: string | null): void;
}

export function createErrorBanner({ shownId, row }: ErrorBannerOptions): ErrorBanner {
  const banner = $('[data-testid="error-banner"]');
  let bannerTimer: ReturnType<typeof setTimeout> | undefined;
  let bannerOwner: string | null = null;
  function hideBanner() {
    banner.hidden = true;
    clearTimeout(bannerTimer);
  }
  function show(err: unknown, about: string | null = shownId()) {
    let text = err instanceof ApiError ? err.message : String((err as { message?: unknown } | null)?.message ?? err);
    const first = err instanceof ApiError ? err.details[0] : undefined;
    if (first && !text.includes(first.message)) text += ` (${first.message})`;
    // A call about a conversation the agent has left since (a send that failed late): say which one.
    if (about && about !== shownId()) {
      const shown = row(about);
      text = `${shown ? contactName(shown.contact) : 'Another conversation'}: ${text}`;
    }
    $('.banner-text', banner).textContent = text;
    banner.dataset.conversationId = about ?? '';
    bannerOwner = about;
    banner.hidden = false;
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => { banner.hidden = true; }, 10000);
  }
  $('.banner-close', banner).addEventListener('click', hideBanner);
  return {
    show,
    leaveFor(next) { if (!banner.hidden && bannerOwner !== next) hideBanner(); },
  };
}
