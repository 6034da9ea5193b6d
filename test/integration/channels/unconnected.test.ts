import { unconnectedChannelSuite } from './unconnected-suite';

unconnectedChannelSuite(() => undefined);
