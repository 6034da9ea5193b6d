import { useQuery } from '@tanstack/react-query';
import { WebhookDeliveryList } from '../../lib/contracts/webhook-deliveries';
import { errorMessage, request } from './api';

/**
 * The webhook URL's latest deliveries: whom each named and, when no run started, why (a guest
 * order naming no contact, a phone that matched nobody). Such deliveries are answered 202 so the
 * sender (Shopify, Zapier, Make) does not retry them or drop the subscription; this is where the
 * admin sees them.
 */
export function WebhookDeliveries({ workflowId }: { workflowId: string }) {
  const deliveries = useQuery({
    queryKey: ['workflows', workflowId, 'webhook-deliveries'],
    queryFn: () => request(WebhookDeliveryList, 'GET', `/workflows/${encodeURIComponent(workflowId)}/webhook/deliveries?limit=20`),
  });
  const list = deliveries.data?.deliveries ?? [];
  return (
    <section className="webhook-deliveries" aria-labelledby="webhook-deliveries-h">
      <div className="row">
        <h4 id="webhook-deliveries-h">Recent deliveries</h4>
        <button type="button" className="ghost small" disabled={deliveries.isFetching} onClick={() => void deliveries.refetch()}>Refresh</button>
      </div>
      {deliveries.isError && <p className="error" role="alert">{errorMessage(deliveries.error)}</p>}
      {deliveries.isSuccess && list.length === 0 && <p className="hint">Nothing received yet.</p>}
      {list.length > 0 && (
        <ul className="stack" aria-label="Recent deliveries">
          {list.map((d) => (
            <li key={d.eventId}>
              <time dateTime={d.receivedAt}>{new Date(d.receivedAt).toLocaleString()}</time>{' '}
              {d.contactIds.length > 0 ? `${d.contactIds.length} contact(s)` : 'No contact'}
              {d.unmatched.length > 0 && <span className="muted"> · unmatched: {d.unmatched.join(', ')}</span>}
              {d.note && <p className={d.contactIds.length === 0 ? 'hint warn' : 'hint'}>{d.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
