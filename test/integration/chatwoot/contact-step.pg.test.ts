import { describePg, pgUrl } from '../../support/postgres';
import { chatwootContactStepSuite } from './contact-step-suite';

describePg('a step writing a Chatwoot contact with no Chatwoot conversation open, on PostgreSQL', () => {
  chatwootContactStepSuite(pgUrl);
});
