import { describePg, pgUrl } from '../../support/postgres';
import { nulFromOutsideSuite } from './nul-from-outside-suite';

describePg('NUL in text from the outside world (PostgreSQL)', () => nulFromOutsideSuite(pgUrl));
