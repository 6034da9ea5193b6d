import { describePg, pgUrl } from '../../support/postgres';
import { nationalPhoneStepsSuite } from './national-phone-steps-suite';

describePg('phone numbers in workflow steps and the workspace\'s default country, on PostgreSQL', () => {
  nationalPhoneStepsSuite(pgUrl);
});
