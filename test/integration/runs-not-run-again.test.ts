import { runsNotRunAgainSuite } from './runs-not-run-again-suite';

runsNotRunAgainSuite(() => undefined);
