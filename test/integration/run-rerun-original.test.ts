import { runRerunOriginalSuite } from './run-rerun-original-suite';

runRerunOriginalSuite(() => undefined);
