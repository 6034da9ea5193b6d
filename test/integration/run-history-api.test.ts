import { runHistoryApiSuite } from './run-history-api';

runHistoryApiSuite();
