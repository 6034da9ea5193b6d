import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { conversationViewHtml, type ReplyBoxOptions } from '../../fixtures/chatwoot-dashboard';

/**
 * Chatwoot's agent dashboard as the extension sees it, served on 127.0.0.1: `/app/...` pages
 * carry the reply-box markup of test/fixtures/chatwoot-dashboard.ts and switch conversations
 * like Vue Router does (history.pushState, no reload); every other path (the REST API under
 * /api/v1) is passed to `upstream`, the Chatwoot API stand-in, so dashboard and API share one
 * origin as they do in a real Chatwoot.
 */
export interface ChatwootDashboardPage {
  url: string;
  /** Markup options of the next page served (e.g. a button row Chatwoot renamed). */
  options: ReplyBoxOptions;
  /**
   * A Dashboard App configured in Chatwoot: conversation pages then embed its URL in an iframe
   * and post it `appContext` (the object `context` returns for the conversation) as Frame.vue does.
   */
  dashboardApp?: { url: string; context(accountId: number, conversationId: number): Record<string, unknown> };
  /**
   * The agent signed in to this dashboard (their email): pages then hold the session cookie a
   * sign-in leaves, as Chatwoot's setAuthCredentials writes it (see sessionCookieScript).
   */
  signedInAs?: string;
  close(): Promise<void>;
}

const ROUTE = /^\/app\/accounts\/(\d+)\/(?:.+\/)?conversations\/(\d+)/;

/**
 * Chatwoot's DashboardApp/Frame.vue: an iframe `#dashboard-app--frame-<position>-<index>`; on its
 * load event, and whenever the app posts 'chatwoot-dashboard-app:fetch-info', the parent posts
 * JSON.stringify({ event: 'appContext', data: { conversation, contact, currentAgent } }) with '*'.
 */
function dashboardAppHtml(url: string, context: Record<string, unknown>): string {
  const json = JSON.stringify(JSON.stringify({ event: 'appContext', data: context })).replace(/</g, '\\u003c');
  return `<div class="dashboard-app--container"><div class="dashboard-app--list">
<iframe id="dashboard-app--frame-0-0" src="${url}" style="width:420px;height:520px;border:0"></iframe></div></div>
<script>
(function () {
  var frame = document.getElementById('dashboard-app--frame-0-0');
  var send = function () { frame.contentWindow.postMessage(${json}, '*'); };
  frame.addEventListener('load', send);
  window.onmessage = function (e) {
    if (typeof e.data !== 'string' || e.data !== 'chatwoot-dashboard-app:fetch-info') return;
    send();
  };
})();
</script>`;
}

/**
 * app/javascript/dashboard/store/utils/api.js `setAuthCredentials`: Cookies.set('cw_d_session_info',
 * JSON.stringify(response.headers)) with js-cookie's encoding (encodeURIComponent, then the
 * characters cookies allow decoded back). The headers are devise_token_auth's, whose `uid` is the
 * user's email (app/models/user.rb `set_password_and_uid`).
 */
function sessionCookieScript(email: string): string {
  const headers = { 'access-token': 'standin-access-token', 'token-type': 'Bearer', client: 'standin-client', expiry: String(Math.floor(Date.now() / 1000) + 86_400), uid: email };
  return `<script>
document.cookie = 'cw_d_session_info=' + encodeURIComponent(${JSON.stringify(JSON.stringify(headers)).replace(/</g, '\\u003c')})
  .replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent) + '; path=/; SameSite=Lax';
</script>`;
}

function pageHtml(path: string, options: ReplyBoxOptions, app?: ChatwootDashboardPage['dashboardApp'], signedInAs?: string): string {
  const match = ROUTE.exec(path);
  const body = match
    ? conversationViewHtml(Number(match[2]), options) + (app ? dashboardAppHtml(app.url, app.context(Number(match[1]), Number(match[2]))) : '')
    : '<section class="conversation-page"><p>Select a conversation</p></section>';
  // window.chatwootNavigate(path): what a click on a conversation in the list does (router.push).
  return `<!doctype html><html><head><meta charset="utf-8"><title>Chatwoot</title>${signedInAs ? sessionCookieScript(signedInAs) : ''}</head>
<body><div id="app">${body}</div>
<script>
window.chatwootNavigate = function (path) {
  history.pushState({}, '', path);
  var m = /conversations\\/(\\d+)/.exec(path);
  var p = document.querySelector('.conversation-panel p');
  if (m && p) p.textContent = 'Conversation ' + m[1];
};
</script></body></html>`;
}

export async function startChatwootDashboardPage(upstream?: string): Promise<ChatwootDashboardPage> {
  const page: ChatwootDashboardPage = { url: '', options: {}, close: async () => {} };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname.startsWith('/app/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pageHtml(url.pathname, page.options, page.dashboardApp, page.signedInAs));
      return;
    }
    if (!upstream) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Resource could not be found"}');
      return;
    }
    const target = new URL(url.pathname + url.search, upstream);
    const forward = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  page.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  page.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return page;
}
