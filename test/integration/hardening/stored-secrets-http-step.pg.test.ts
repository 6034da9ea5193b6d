import { describePg, pgUrl } from '../../support/postgres';
import { storedHttpCredentialsSuite } from './stored-secrets-http-step-suite';

describePg('HTTP step credentials quoted in a stored run (PostgreSQL)', () => storedHttpCredentialsSuite(pgUrl));
