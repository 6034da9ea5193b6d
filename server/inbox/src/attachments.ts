// What a customer (or a workflow) sent besides text: images as thumbnails, video and audio with
// controls, documents and locations as links, as Chatwoot and respond.io show them. Addresses come
// from Meta's and Chatwoot's payloads: only https ones are loaded or linked (no javascript:, no
// data:, no plain http), links open apart from the page (noopener, noreferrer). WhatsApp media has
// no address, only Meta's media id: the server fetches it with the channel's token
// (GET …/attachments/:n), and the page loads it with the agent's own credentials into a blob.
import { token } from './api.js';
import { h } from './dom.js';
import { ErrorBody, type Attachment, type Message } from './wire.js';

type Kind = 'image' | 'video' | 'audio' | 'location' | 'file';
const KINDS: Record<string, Kind> = { image: 'image', sticker: 'image', video: 'video', audio: 'audio', location: 'location' };
const kindOf = (a: Attachment): Kind => KINDS[a.type] ?? 'file';
const LABELS: Record<Kind, string> = { image: 'Image', video: 'Video', audio: 'Audio', location: 'Location', file: 'File' };

/** The address as the page may load or link it: https only, anything else is none. */
export function safeHttpsUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The text stored for a message that had none ("[image]", a workflow's "[image] https://…",
 * Chatwoot's "(attachment)"): the attachment shown says it better.
 */
export function isPlaceholderText(m: Message): boolean {
  const first = m.attachments?.[0];
  if (!first) return false;
  const text = m.text.trim();
  return text === '' || text === '(attachment)' || text === `[${first.type}]` || (first.url !== undefined && text === `[${first.type}] ${first.url}`);
}

/**
 * The text under the attachments; null when they say it all. A shared location's text is
 * "<place>, <address>" and its link already says the place (📍 Praça do Comércio): the address
 * only, so the name is not read twice (WhatsApp shows the name, then the address).
 */
export function bubbleText(m: Message): string | null {
  if (isPlaceholderText(m)) return null;
  const first = m.attachments?.[0];
  const place = first?.type === 'location' ? first.caption?.trim() : undefined;
  const text = m.text.trim();
  if (!place) return m.text;
  if (text === place) return null;
  return text.startsWith(`${place}, `) ? text.slice(place.length + 2) : m.text;
}

/** The file's name as the channel gave it, else the address's last segment (Messenger, Chatwoot put it there). */
function fileName(a: Attachment): string {
  if (a.filename) return a.filename;
  try {
    const url = new URL(a.url ?? '');
    const last = url.protocol === 'https:' || url.protocol === 'http:' ? url.pathname.split('/').filter(Boolean).at(-1) : undefined;
    if (last) return decodeURIComponent(last);
  } catch { /* no usable address */ }
  return LABELS[kindOf(a)];
}

const mediaPath = (m: Message, n: number) =>
  `/api/v1/conversations/${encodeURIComponent(m.conversationId)}/messages/${encodeURIComponent(m.id)}/attachments/${n}`;

// Media fetched through the server, as blob: addresses, kept while the page lives (a re-render
// or another look at the conversation does not fetch it again); the oldest go past MAX_LOADED.
const MAX_LOADED = 60;
const loaded = new Map<string, Promise<string>>();
function loadMedia(path: string): Promise<string> {
  const known = loaded.get(path);
  if (known) return known;
  const bearer = token.get();
  const pending = fetch(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} }).then(async (res) => {
    if (!res.ok) {
      const body: unknown = await res.json().catch(() => null);
      throw new Error(ErrorBody.safeParse(body).data?.error.message ?? `The server answered ${res.status}`);
    }
    return URL.createObjectURL(await res.blob());
  });
  pending.catch(() => loaded.delete(path)); // the next look tries again
  loaded.set(path, pending);
  if (loaded.size > MAX_LOADED) {
    const [oldest, url] = loaded.entries().next().value!;
    loaded.delete(oldest);
    void url.then(URL.revokeObjectURL, () => undefined);
  }
  return pending;
}

const external = (href: string, ...children: (Node | string)[]) =>
  h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'att-link' }, ...children);

/** An image: a thumbnail opening the full one in a new tab. */
function image(a: Attachment, src: string | null, proxied: string | null, name: string) {
  const alt = a.caption || name;
  if (src) return external(src, h('img', { class: 'att-thumb', src, alt, loading: 'lazy', referrerpolicy: 'no-referrer' }));
  if (!proxied) return null;
  const img = h('img', { class: 'att-thumb', alt, 'aria-busy': 'true' });
  const link = h('a', { class: 'att-link', target: '_blank', rel: 'noopener noreferrer', title: 'WhatsApp media' }, img);
  void loadMedia(proxied).then((url) => { img.src = url; link.href = url; img.removeAttribute('aria-busy'); },
    (err: Error) => link.replaceWith(h('span', { class: 'att-missing', 'data-testid': 'attachment-error', text: `${LABELS.image} (WhatsApp media): ${err.message}` })));
  return link;
}

/** Video or audio with the browser's controls; WhatsApp media is fetched when the agent asks for it. */
function player(kind: 'video' | 'audio', src: string | null, proxied: string | null) {
  const make = (url: string) => h(kind, { class: `att-${kind}`, src: url, controls: true, preload: 'metadata' });
  if (src) return make(src);
  if (!proxied) return null;
  const button = h('button', { type: 'button', class: 'ghost small att-load', text: `▶ Play ${kind} (WhatsApp media)` });
  button.addEventListener('click', () => {
    button.disabled = true;
    loadMedia(proxied).then((url) => button.replaceWith(make(url)), (err: Error) => { button.disabled = false; button.textContent = `${LABELS[kind]}: ${err.message}`; });
  });
  return button;
}

/** A document (or anything else): a link with its name; WhatsApp media is downloaded on click. */
function file(src: string | null, proxied: string | null, name: string) {
  if (src) return external(src, `📄 ${name}`);
  if (!proxied) return null;
  const button = h('button', { type: 'button', class: 'att-link att-file', text: `📄 ${name}`, title: 'Download (WhatsApp media)' });
  button.addEventListener('click', () => {
    button.disabled = true;
    loadMedia(proxied).then((url) => {
      h('a', { href: url, download: name }).click();
      button.disabled = false;
    }, (err: Error) => { button.disabled = false; button.title = err.message; button.textContent = `📄 ${name}: ${err.message}`; });
  });
  return button;
}

function view(m: Message, a: Attachment, n: number): HTMLElement {
  const kind = kindOf(a);
  const src = safeHttpsUrl(a.url);
  const proxied = !a.url && a.mediaId ? mediaPath(m, n) : null;
  const name = fileName(a);
  const shown = kind === 'image' ? image(a, src, proxied, name)
    : kind === 'video' || kind === 'audio' ? player(kind, src, proxied)
      : kind === 'location' ? (src ? external(src, `📍 ${a.caption || LABELS.location}`) : null)
        : file(src, proxied, name);
  // What cannot be loaded or linked is still named (an http:// address, a media id with no channel).
  const fallback = () => h('span', { class: 'att-missing', title: a.url ?? '', text: `${LABELS[kind]}: ${name}${a.url ? ' (not an https link, not opened from the inbox)' : ' (no link)'}` });
  // A caption of its own (Messenger's title, one of several): shown unless it is the message's text.
  const caption = a.caption && a.caption !== m.text && kind !== 'location' ? h('figcaption', { class: 'att-caption', text: a.caption }) : null;
  return h('figure', { class: `att att-${kind}`, 'data-testid': 'attachment', dataset: { kind, type: a.type } }, shown ?? fallback(), caption);
}

/** The message's attachments, in the order they came; null when it has none. */
export function renderAttachments(m: Message): HTMLElement | null {
  if (!m.attachments?.length) return null;
  return h('div', { class: 'attachments', 'data-testid': 'attachments' }, m.attachments.map((a, n) => view(m, a, n)));
}
