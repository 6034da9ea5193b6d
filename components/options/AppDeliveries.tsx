import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppDeliveryRetried, type App, type AppDelivery } from '../../lib/contracts/apps';
import { errorMessage, request } from './api';
import { keys } from './queries';

const when = (iso: string) => new Date(iso).toLocaleString();

function state(d: AppDelivery) {
  const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  if (d.status === 'failed') return `given up after ${tries}`;
  return d.attempts === 0 ? 'not sent yet' : `${tries}, next try ${d.nextAttemptAt ? when(d.nextAttemptAt) : 'soon'}`;
}

/**
 * Requests the app's server has not taken yet (unsubscribe requests), with why: what the admin
 * fixes (gives the app's server the new signing secret, brings it back) before "Retry now".
 */
export function AppDeliveries({ app }: { app: App }) {
  // Kept here: a delivered request leaves the list (and its item) at once.
  const [delivered, setDelivered] = useState(false);
  return (
    <>
      {delivered && <p className="hint" role="status">The unsubscribe request was delivered.</p>}
      {app.deliveries.length > 0 && (
        <section className="deliveries" aria-label="Undelivered requests">
          <h4>Not delivered to the app’s server</h4>
          <ul>{app.deliveries.map((d) => <DeliveryItem key={d.id} appId={app.id} delivery={d} onDelivered={() => setDelivered(true)} />)}</ul>
        </section>
      )}
    </>
  );
}

function DeliveryItem({ appId, delivery: d, onDelivered }: { appId: string; delivery: AppDelivery; onDelivered: () => void }) {
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () => request(AppDeliveryRetried, 'POST', `/apps/${encodeURIComponent(appId)}/deliveries/${encodeURIComponent(d.id)}/retry`),
    onSuccess: ({ delivery }) => { if (delivery.status === 'delivered') onDelivered(); },
    onSettled: () => void client.invalidateQueries({ queryKey: keys.apps }),
  });
  const failed = retry.data && retry.data.delivery.status !== 'delivered' ? retry.data.delivery : undefined;
  return (
    <li>
      <strong>Unsubscribe request</strong>{d.installationId ? <> for installation <code>{d.installationId}</code></> : null} (queued {when(d.createdAt)}): {state(d)}.
      {d.lastError && <div className="error">Last error: {d.lastError}</div>}
      <div className="row">
        <button type="button" className="small" disabled={retry.isPending} onClick={() => retry.mutate()}>{retry.isPending ? 'Retrying…' : 'Retry now'}</button>
      </div>
      {failed && <p className="error" role="alert">Still not delivered: {failed.lastError}</p>}
      {retry.error && <p className="error" role="alert">{errorMessage(retry.error)}</p>}
    </li>
  );
}
