import { describePg, pgUrl } from '../support/postgres';
import { runRerunCountsSuite } from './run-rerun-counts-suite';

describePg('Run all failed again: every run left counted under one reason, on PostgreSQL', () => {
  runRerunCountsSuite(pgUrl);
});
