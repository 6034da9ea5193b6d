import { describePg, pgUrl } from '../../support/postgres';
import { fieldValueLimitsSuite } from './field-value-limits-suite';

describePg('contact field values past the limit, on PostgreSQL', () => {
  fieldValueLimitsSuite(pgUrl);
});
