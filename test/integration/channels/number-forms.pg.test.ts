import { describePg, pgUrl } from '../../support/postgres';
import { numberFormsSuite } from './number-forms-suite';

describePg('Mexican and Argentine numbers in either form, on PostgreSQL', () => {
  numberFormsSuite(pgUrl);
});
