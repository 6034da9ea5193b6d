import { describePg, pgUrl } from '../../support/postgres';
import { stepVariablesSuite } from './step-variables-suite';

describePg('$step variables on PostgreSQL', () => {
  stepVariablesSuite(pgUrl);
});
