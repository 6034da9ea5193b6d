import { waitingBehindSuite } from './runs-waiting-behind';

waitingBehindSuite();
