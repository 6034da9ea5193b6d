import { describePg, pgUrl } from '../../support/postgres';
import { adReferralSuite } from './ad-referral-suite';

describePg('Click-to-Chat ad referrals, on PostgreSQL', () => {
  adReferralSuite(pgUrl);
});
