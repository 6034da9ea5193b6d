import { takeOverQueuedSuite } from './take-over-queued-suite';

takeOverQueuedSuite(() => undefined);
