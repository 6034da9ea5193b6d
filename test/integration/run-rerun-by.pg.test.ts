import { describePg, pgUrl } from '../support/postgres';
import { runRerunBySuite } from './run-rerun-by-suite';

describePg('GET /runs?rerunBy=: the reruns one person started, on PostgreSQL', () => {
  runRerunBySuite(pgUrl);
});
