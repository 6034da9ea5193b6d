import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { mountShortcutForm } from '../components/forms/mount';
import { exposeFormModule } from './inbox.content/forms-global';

// The shortcut form renderer, kept out of the content script's initial bundle: the content
// script imports this file (web-accessible) when the agent opens the menu.
export default defineUnlistedScript(() => exposeFormModule({ mountShortcutForm }));
