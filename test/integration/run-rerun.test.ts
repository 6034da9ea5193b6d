import { runRerunSuite } from './run-rerun-suite';

runRerunSuite(() => undefined);
