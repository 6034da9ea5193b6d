import { describePg, pgUrl } from '../support/postgres';
import { contactDuplicatesSuite } from './contact-duplicates-suite';

// PostgreSQL aborts the transaction at the unique violation: the holder is looked up after it.
describePg('a duplicate phone or email names the contact that has it, on PostgreSQL', () => {
  contactDuplicatesSuite(pgUrl);
});
