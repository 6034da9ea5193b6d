import { describePg, pgUrl } from '../../support/postgres';
import { nulFromUsersSuite } from './nul-from-users-suite';

describePg('NUL in values our users send (PostgreSQL)', () => nulFromUsersSuite(pgUrl));
