import { runsListSuite } from './runs-list';

runsListSuite();
