import { describePg, pgUrl } from '../../support/postgres';
import { chatwootNationalPhoneSuite } from './national-phone-steps-suite';

describePg('phone numbers without a country code written to a contact that lives in Chatwoot, on PostgreSQL', () => {
  chatwootNationalPhoneSuite(pgUrl);
});
