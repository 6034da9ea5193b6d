import { runHistoryScaleSuite } from './run-history-scale-suite';

runHistoryScaleSuite(() => undefined);
