// The inbox's only way to change anything: the public API, with the agent's own token,
// so every action fires the same triggers as any other client (source `user`).

const TOKEN_KEY = 'inboxCompanion.token';

export const token = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (value) => localStorage.setItem(TOKEN_KEY, value),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

/** Called when the server refuses the token (revoked, unknown): the app signs out. */
let onUnauthorized = () => {};
export const setUnauthorizedHandler = (fn) => { onUnauthorized = fn; };

export async function api(method, path, body, bearer = token.get()) {
  const headers = { accept: 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection.');
  }
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = data?.error;
    const details = Array.isArray(err?.details) ? err.details : [];
    const message = err?.message ?? `The server answered ${res.status}`;
    if (res.status === 401 && bearer === token.get()) onUnauthorized(message);
    throw new ApiError(res.status, err?.code ?? 'error', message, details);
  }
  return data;
}

const enc = encodeURIComponent;

export const Api = {
  me: (bearer) => api('GET', '/me', undefined, bearer),
  users: () => api('GET', '/users'),
  conversations: (status) => api('GET', `/conversations?status=${enc(status)}&limit=200`),
  conversationsOf: (contactId, status) => api('GET', `/conversations?status=${enc(status)}&contactId=${enc(contactId)}`),
  conversation: (id) => api('GET', `/conversations/${enc(id)}`),
  open: (contactId) => api('POST', '/conversations', { contactId }),
  close: (id, body) => api('POST', `/conversations/${enc(id)}/close`, body),
  send: (id, text, kind) => api('POST', `/conversations/${enc(id)}/messages`, { text, kind, direction: 'outgoing' }),
  assign: (id, userId) => api('POST', `/conversations/${enc(id)}/assign`, { userId }),
  contact: (id) => api('GET', `/contacts/${enc(id)}`),
  patchContact: (id, patch) => api('PATCH', `/contacts/${enc(id)}`, patch),
  addTags: (id, tags) => api('POST', `/contacts/${enc(id)}/tags`, { tags }),
  removeTag: (id, tag) => api('DELETE', `/contacts/${enc(id)}/tags/${enc(tag)}`),
  fields: () => api('GET', '/fields'),
  categories: () => api('GET', '/settings/closing-categories'),
};
