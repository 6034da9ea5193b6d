import { htmlToText } from './payloads';

/** A stored text cut to what a message holds (messageText): only its start can be compared. */
export const STORED_MAX = 4096;

/**
 * Whether a message's `content` as Chatwoot rendered it for the inbox's channel still says what the
 * stored text says. Chatwoot renders an older message's content (app/services/messages/
 * markdown_renderer_service.rb @ 10b3d7f8): HTML for web, email and Telegram inboxes (read back by
 * htmlToText); for WhatsApp `*strong*`, `_emph_`, code in backticks, a link its bare address, list
 * items `- `, quotes `> ` (markdown_renderers/whats_app_renderer.rb @ 36737e03); Instagram and
 * Messenger the same but code bare and lists numbered `1. ` (instagram_renderer.rb @ 3de784ea);
 * headings, rules and raw HTML lose their markers (base_markdown_renderer.rb @ 1ffafd6b: every
 * other node is its children). CommonMarker runs without SMART, so quotes, dashes and dots come
 * out as typed. Only that markup is taken off both sides (emphasis and code characters, line
 * markers, escapes, whitespace); every other character counts, so a status change of an older
 * message is no edit while an edit of its punctuation alone (`2-3` → `23`, `5.30` → `5:30`) is.
 * Left out: an edit that only adds or removes `*`, `_`, `~` or backticks, or whitespace.
 */
export function sameAsRendered(rendered: string, stored: string): boolean {
  const now = plain(rendered);
  const cut = stored.length >= STORED_MAX;
  // The last character of a cut text may be half of a pair (or of a marker): its start is compared.
  const same = (was: string) => (cut ? now.startsWith(was.slice(0, Math.max(0, was.length - 1))) : now === was);
  for (const was of storedReadings(stored)) if (same(plain(was))) return true;
  return false;
}

/**
 * What the stored markdown may have rendered as: a link as its text (HTML) or its address
 * (WhatsApp, Instagram); an autolink `<https://…>` as the address; HTML the customer typed left out
 * (CommonMarker without UNSAFE; the channel renderers drop html nodes too).
 */
function* storedReadings(stored: string): Generator<string> {
  const unwrapped = stored.includes('<') ? stored.replace(AUTOLINK, '$1') : stored;
  for (const side of stored.includes('](') ? ['$1', '$2'] : ['']) {
    const linked = side ? unwrapped.replace(LINK, side) : unwrapped;
    yield linked;
    if (linked.includes('<')) yield htmlToText(linked);
  }
}

const LINK = /\[([^\]]*)\]\(([^)\s]*)\)/g;
const AUTOLINK = /<((?:https?|mailto):[^>\s]*|[^>\s@]+@[^>\s]+)>/gi;
/** CommonMark's backslash escapes: any ASCII punctuation. */
const ESCAPE = /\\([!-/:-@[-`{-~])/g;
/** A thematic break or a setext heading's underline: a line of its marker characters. */
const RULE = /^[ \t]*(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$/gm;
/** Line starts a rendering rewrites or drops: headings, quotes, list items (numbered ones dashed on WhatsApp). */
const LINE_MARKERS = /^[ \t]*(?:(?:#{1,6}|>|\d{1,9}[.)]|[-*+])(?:[ \t]+|$))+/gm;
const EMPHASIS = /[*_~`]/g;

const plain = (s: string) => (s.includes('\\') ? s.replace(ESCAPE, '$1') : s).replace(RULE, '').replace(LINE_MARKERS, '').replace(EMPHASIS, '').replace(/\s+/g, '');
