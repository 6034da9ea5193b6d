import { runLinesStoppedSuite } from './run-lines-stopped-suite';

runLinesStoppedSuite(() => undefined);
