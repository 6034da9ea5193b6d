import { describePg, pgUrl } from '../../support/postgres';
import { tagsAnyCaseSuite } from './tags-any-case-suite';

describePg('tags in any case on PostgreSQL', () => {
  tagsAnyCaseSuite(pgUrl);
});
