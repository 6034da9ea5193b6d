import { OutputRefusedLater } from '../../lib/contracts/refused-later';
import { refusedLaterText } from '../../lib/workflow/refused-later-text';

/**
 * A Send message step whose message WhatsApp took and refused later (131047): the step completed
 * as the run saw it, so its badge says so; this says what the customer got instead. Any other
 * output shows nothing here.
 */
export function RefusedLater({ output }: { output: unknown }) {
  const parsed = OutputRefusedLater.safeParse(output);
  if (!parsed.success) return null;
  const r = parsed.data.refusedLater;
  return (
    <>
      {' '}<span className="badge badge-failed">refused later</span>
      <p className={r.fallback.status === 'sent' ? 'hint refused-later' : 'error refused-later'}>
        {refusedLaterText(r, (iso) => new Date(iso).toLocaleString())}
      </p>
    </>
  );
}
