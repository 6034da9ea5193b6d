import { describePg, pgUrl } from '../support/postgres';
import { shortcutDeactivatedAssigneeSuite } from './shortcut-deactivated-assignee-suite';

describePg('a shortcut assigning to someone deactivated (PostgreSQL)', () => {
  shortcutDeactivatedAssigneeSuite(pgUrl);
});
