import { describe } from 'vitest';
import { contactWriteRoundSuite } from './engine-round-contact-writes-suite';

describe('contact writes in a run round, no Chatwoot account connected', () => {
  contactWriteRoundSuite(() => undefined);
});
