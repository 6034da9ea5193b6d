import { describePg, pgUrl } from '../../support/postgres';
import { newStepsSuite } from './new-steps-suite';

describePg('new steps on PostgreSQL', () => {
  newStepsSuite(pgUrl);
});
