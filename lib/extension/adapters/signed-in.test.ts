import { describe, expect, it } from 'vitest';
import { builtinAdapter } from './builtin';
import { chatwootAdapter, chatwootSignedInEmail } from './chatwoot';

// Who each inbox page says is signed in, as the launcher reads it (components/launcher/seat.ts).

/** js-cookie's encoding of Chatwoot's JSON.stringify(response.headers) (store/utils/api.js setAuthCredentials). */
const jsCookie = (value: string) => encodeURIComponent(value).replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent);
const session = (uid: unknown) => JSON.stringify({ 'access-token': 'tok', 'token-type': 'Bearer', client: 'c1', expiry: '1893456000', uid });

describe('Chatwoot: the session cookie', () => {
  it.each([
    ['js-cookie encoded', `cw_d_session_info=${jsCookie(session('ava@example.com'))}`, 'ava@example.com'],
    ['among other cookies', `_ga=1; cw_d_session_info=${jsCookie(session('ava@example.com'))}; locale=en`, 'ava@example.com'],
    ['as plain JSON', `cw_d_session_info=${session('ava@example.com')}`, 'ava@example.com'],
    ['signed out (no cookie)', '_ga=1; locale=en', null],
    ['a uid that is no email', `cw_d_session_info=${jsCookie(session(42))}`, null],
    ['unreadable', 'cw_d_session_info=%E0%A4%A', null],
    ['a cookie of a similar name', `x_cw_d_session_info=${jsCookie(session('sam@example.com'))}`, null],
  ])('%s', (_what, cookie, email) => {
    expect(chatwootSignedInEmail(cookie)).toBe(email);
  });

  it('gives the adapter the email, never the token', () => {
    const doc = document.implementation.createHTMLDocument('Chatwoot');
    Object.defineProperty(doc, 'cookie', { value: `cw_d_session_info=${jsCookie(session('ava@example.com'))}` });
    expect(chatwootAdapter.signedInUser!(doc)).toEqual({ email: 'ava@example.com' });
  });
});

describe('built-in inbox: the shell the page marks', () => {
  it('reads the user the page signed in, and nobody once it signed out', () => {
    const doc = document.implementation.createHTMLDocument('Inbox');
    doc.body.innerHTML = '<div class="shell" data-signed-in-user-id="usr_ava" data-signed-in-user-name="Ava Agent"></div>';
    expect(builtinAdapter.signedInUser!(doc)).toEqual({ id: 'usr_ava', name: 'Ava Agent' });
    const shell = doc.querySelector<HTMLElement>('.shell')!;
    delete shell.dataset.signedInUserId;
    expect(builtinAdapter.signedInUser!(doc)).toBeNull();
  });
});
