import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server?.close(); });

const get = (path: string, headers?: Record<string, string>) => server.request('GET', path, { headers });

/** Every module the page loads, following static `import … from './x.js'` edges (built: `from"./x.js"`). */
async function loadModules(entry: string) {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    const res = await get(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-type'), path).toBe('text/javascript; charset=utf-8');
    seen.set(path, res.body as string);
    for (const m of (res.body as string).matchAll(/from\s*["']\.\/([\w-]+\.js)["']/g)) queue.push(`/inbox/assets/${m[1]}`);
  }
  return seen;
}

describe('the built-in inbox page', () => {
  it.each(['/inbox', '/inbox/', '/inbox/c/cnv_01HXYZ'])('%s serves the page as HTML, revalidated on every load', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.body).toContain('data-composer-toolbar');
  });

  it('is compatible with the CSP: no inline script, no inline handlers, only same-origin sources', async () => {
    const res = await get('/inbox');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const html = res.body as string;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/inbox\/assets\/[\w-]+\.js"/);
      expect((body ?? '').trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('serves its stylesheet and every module with the right content type, under the size budget', async () => {
    const css = await get('/inbox/assets/inbox.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const modules = await loadModules('/inbox/assets/app.js');
    expect(modules.size).toBeGreaterThanOrEqual(5);
    const total = [...modules.values()].reduce((n, text) => n + Buffer.byteLength(text), 0);
    // 60 KB until the page showed attachments (attachments.js, ~3.5 KB) and assigned to teammates;
    // 72 KB until agents could send WhatsApp templates and resend failed replies (template-picker.js,
    // delivery.js); 80 KB until the page worked for screen readers, right-to-left names and a 320 px
    // window (tablists, the narrow layout's back link, a log of new messages) and showed
    // conversations deleted in Chatwoot (82.4 KB then); 88 KB until a long thread opened on its latest
    // page and read older ones as the agent scrolls up (thread-pages.js, paged-thread.js: +4.5 KB,
    // 92.3 KB then), rather than drawing thousands of messages at once; 96 KB until the page kept
    // unread counts per user and showed each conversation's channel (seen.js, channel-badge.js), placed
    // a late customer message by its send time, counted a reply against its channel's limit, named the
    // picked conversation while it loads and queued a reply typed meanwhile (conversation-head.js,
    // queued-send.js): 100.4 KB then.
    expect(total).toBeLessThan(104 * 1024);
  });

  it('never turns data into HTML: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval', async () => {
    const modules = await loadModules('/inbox/assets/app.js');
    for (const [path, text] of modules) {
      expect(text, path).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
    }
  });

  it('answers a matching ETag with 304', async () => {
    const first = await get('/inbox/assets/app.js');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get('/inbox/assets/app.js', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it.each(['/inbox/assets/nope.js', '/inbox/assets/index.html', '/inbox/assets/..%2Fserver.ts'])('%s is a 404 in the API error shape', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});
