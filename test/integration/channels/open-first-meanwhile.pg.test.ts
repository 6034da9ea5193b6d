import { describePg, pgUrl } from '../../support/postgres';
import { openFirstMeanwhileSuite } from './open-first-meanwhile-suite';

describePg('steps that open the WhatsApp conversation first: another run meanwhile, its variables, a long question, on PostgreSQL', () => {
  openFirstMeanwhileSuite(pgUrl);
});
