import { runHistoryPlansSuite } from './run-history-plans-suite';

runHistoryPlansSuite(() => undefined);
