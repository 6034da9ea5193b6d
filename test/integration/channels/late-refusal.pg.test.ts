import { describePg, pgUrl } from '../../support/postgres';
import { lateRefusalSuite } from './late-refusal-suite';

describePg('WhatsApp refuses a workflow message later (131047 by status webhook), on PostgreSQL', () => {
  lateRefusalSuite(pgUrl);
});
