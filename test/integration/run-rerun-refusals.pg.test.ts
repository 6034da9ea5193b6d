import { describePg, pgUrl } from '../support/postgres';
import { runRerunRefusalsSuite } from './run-rerun-refusals-suite';

describePg('Run again refused where a launch is (a deactivated assignee, a shortcut\'s closed conversation), on PostgreSQL', () => {
  runRerunRefusalsSuite(pgUrl);
});
