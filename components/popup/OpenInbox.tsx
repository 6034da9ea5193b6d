import { useState } from 'react';
import { browser } from 'wxt/browser';
import { InboxCode } from '../../lib/contracts/inbox-session';
import { sendMessage } from '../../lib/extension/messaging';

/**
 * "Open inbox": signs the built-in inbox in as the connected user without pasting a token. The
 * server gives a one-time code (60 s, single use) for the extension's token; the inbox page reads
 * it from the URL's fragment and trades it for its own login cookie.
 */
export function OpenInbox({ serverUrl }: { serverUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await sendMessage('api', { method: 'POST', path: '/auth/inbox-code' });
      const parsed = InboxCode.safeParse(res.body);
      if (res.status !== 201 || !parsed.success) {
        const message = (res.body as { error?: { message?: string } } | null)?.error?.message;
        throw new Error(message ?? `The server answered ${res.status}`);
      }
      await browser.tabs.create({ url: new URL(parsed.data.path, serverUrl).href });
      window.close();
    } catch (err) {
      setError(`Could not open the inbox: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="primary" onClick={() => void open()} disabled={busy}>Open inbox</button>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}
