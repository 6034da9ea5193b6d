import { Api, ApiError, session, token } from './api.js';
import { $ } from './dom.js';
import type { Me } from './wire.js';

// Who the agent is, found as the page loads: a one-time code from the extension's "Open inbox"
// link (then a session cookie), the cookie that code left earlier, a saved token, or else the form.

export interface SignInOptions {
  /** Shows the inbox as `me`. */
  start: (me: Me) => Promise<void>;
  signOut: (message?: string) => void;
}

export interface SignIn {
  /** The form instead of the inbox; `message`: why (a refused token, a session that ended). */
  show(message?: string): void;
  /** The inbox instead of the form. */
  hide(): void;
  boot(): Promise<void>;
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The extension's "Open inbox" link: /inbox#code=… (a fragment never reaches a server or its logs). */
function takeCodeFromUrl(): string | null {
  const match = /^#(?:.*&)?code=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(match[1]);
}

export function wireSignIn({ start, signOut }: SignInOptions): SignIn {
  const signin = $('[data-testid="signin"]');
  const shell = $('[data-testid="inbox"]');

  function showSignin(message?: string) {
    shell.hidden = true;
    signin.hidden = false;
    const error = $('[data-testid="signin-error"]');
    error.textContent = message ?? '';
    error.hidden = !message;
    $('[data-testid="signin-token"]').focus();
  }

  $<HTMLFormElement>('[data-testid="signin-form"]').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('[data-testid="signin-token"]');
    const value = input.value.trim();
    if (!value) return;
    try {
      const me = await Api.me(value);
      token.set(value);
      input.value = '';
      await start(me);
    } catch (err) {
      showSignin(err instanceof ApiError && err.status === 401 ? 'That token was not accepted.' : errorMessage(err));
    }
  });

  async function startWithCookie(me: Me) {
    token.clear(); // a token pasted earlier would otherwise sign the calls in as someone else
    session.usesCookie = true;
    await start(me);
  }

  async function boot() {
    const code = takeCodeFromUrl();
    if (code) {
      try {
        return await startWithCookie(await Api.signInWithCode(code));
      } catch (err) {
        return showSignin(errorMessage(err));
      }
    }
    const saved = token.get();
    if (!saved && session.mayHaveCookie()) {
      const me = await Api.me(null).catch(() => null);
      if (me) return startWithCookie(me);
    }
    if (!saved) return showSignin();
    try {
      await start(await Api.me(saved));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) signOut('Your saved token is no longer valid. Sign in again.');
      else showSignin(errorMessage(err));
    }
  }

  return {
    show: showSignin,
    hide() { signin.hidden = true; shell.hidden = false; },
    boot,
  };
}
