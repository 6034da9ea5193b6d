import type { LiveMessage } from '../../../lib/contracts/events';
import { runTextMasker } from '../../secrets/stored-texts';
import type { Services } from '../../services';

/**
 * A `run.updated` event's error as GET /runs/:id shows it (stored-texts.ts): some publishers send
 * the error stored on the run (a late WhatsApp refusal's note, a cancelled run's kept log), and a
 * run failed under an older release may quote a credential there. Masked once per event, however
 * many streams are open (one fingerprint query for all of them), with its own workflow's HTTP step
 * credentials as GET /runs/:id does; every other event as it is. If even that fails (the database
 * gone at shutdown), the error is left out rather than sent unmasked: the client reads the run for it.
 */
export function runErrorMasker(services: Pick<Services, 'db' | 'vault' | 'log'>): (message: LiveMessage) => Promise<LiveMessage> {
  const made = new WeakMap<LiveMessage, Promise<LiveMessage>>();
  return (message) => {
    if (message.type !== 'run.updated' || !message.error) return Promise.resolve(message);
    let shown = made.get(message);
    if (!shown) {
      shown = runTextMasker(services.db, services.vault, message.workflowId).then(
        (show) => ({ ...message, error: show(message.error!) }),
        (err: unknown) => {
          services.log.warn({ err, runId: message.runId }, 'could not mask a run error for the event streams; sent without it');
          const { error: _left, ...rest } = message;
          return rest;
        },
      );
      made.set(message, shown);
    }
    return shown;
  };
}
