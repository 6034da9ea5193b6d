import { describePg, pgUrl } from '../support/postgres';
import { fieldTypeChangeSuite } from './field-type-change-workflows-suite';

describePg('field type changes on PostgreSQL', () => fieldTypeChangeSuite(pgUrl));
