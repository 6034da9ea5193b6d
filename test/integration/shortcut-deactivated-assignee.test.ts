import { shortcutDeactivatedAssigneeSuite } from './shortcut-deactivated-assignee-suite';

shortcutDeactivatedAssigneeSuite(() => undefined);
