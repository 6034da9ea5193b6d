import { retryLaterChannelSuite } from './retry-later-suite';

retryLaterChannelSuite(() => undefined);
