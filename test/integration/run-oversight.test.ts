import { runOversightSuite } from './run-oversight-suite';

runOversightSuite(() => undefined);
