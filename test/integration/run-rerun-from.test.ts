import { runRerunFromSuite } from './run-rerun-from-suite';

runRerunFromSuite(() => undefined);
