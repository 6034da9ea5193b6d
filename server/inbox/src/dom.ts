// DOM helpers. User data only ever reaches the page as text nodes or attribute values.

type Child = Node | string | number | null | undefined | false;
export type Props = Record<string, unknown> & {
  class?: string;
  text?: string | number;
  dataset?: Record<string, string>;
};

/** h('button', { class: 'x', text: 'Hi', onclick: fn, dataset: { id } }, ...children) */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key in el && typeof value !== 'string') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * A sentence of ours with the names in it isolated: each “quoted” name, and each of `names`, in a
 * <bdi>, so an Arabic or Hebrew name keeps its own direction without reordering the English around
 * it ("Workflow “طلب” stopped"). The text stays the same (tests and screen readers read the same).
 */
export function isolated(text: string, names: readonly string[] = []): (Node | string)[] {
  const parts: (Node | string)[] = [];
  const wanted = names.filter(Boolean).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<=“)[^”]+(?=”)${wanted.length ? `|${wanted.join('|')}` : ''}`, 'gu');
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) parts.push(text.slice(at, m.index));
    parts.push(h('bdi', { text: m[0] }));
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** An element the page is built with: missing means index.html and the code disagree. */
export function $<E extends Element = HTMLElement>(selector: string, root: ParentNode = document): E {
  const el = root.querySelector<E>(selector);
  if (!el) throw new Error(`The inbox page has no ${selector}`);
  return el;
}

export function contactName(contact: { firstName: string | null; lastName: string | null; phone: string | null; email: string | null }): string {
  const name = `${contact.firstName ?? ''} ${contact.lastName ?? ''}`.trim();
  return name || contact.phone || contact.email || 'Unnamed contact';
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Today: 14:05; earlier: 3 Mar. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? timeFmt.format(d) : dayFmt.format(d);
}

export const fullTime = (iso: string | null | undefined): string => (iso ? fullFmt.format(new Date(iso)) : '');

/** Coalesces bursts (several live messages for one change) into one call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
