import { settingsInUseSuite } from './settings-in-use-suite';

settingsInUseSuite(() => undefined);
