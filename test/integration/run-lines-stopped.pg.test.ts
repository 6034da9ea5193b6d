import { describePg, pgUrl } from '../support/postgres';
import { runLinesStoppedSuite } from './run-lines-stopped-suite';

describePg('a run\'s line after a delete, a cancel, a replace (PostgreSQL)', () => {
  runLinesStoppedSuite(pgUrl);
});
