import { describePg, pgUrl } from '../../support/postgres';
import { emptyVariablesSuite } from './empty-variables-suite';

describePg('Empty variables in Update Contact Field and list variables in tags, on PostgreSQL', () => {
  emptyVariablesSuite(pgUrl);
});
