import { AdsCatalogSettings } from './AdsCatalogSettings';
import { ChannelsSettings } from './ChannelsSettings';
import { AdAccountsSettings } from './AdAccountsSettings';
import { ChatwootSettings } from './ChatwootSettings';
import { ClosingCategoriesSettings } from './ClosingCategoriesSettings';
import { CustomFieldsSettings } from './CustomFieldsSettings';
import { InboxOriginsSettings } from './InboxOriginsSettings';
import { LifecycleStagesSettings } from './LifecycleStagesSettings';
import type { User } from '../../lib/contracts/users';
import { UsersSettings } from './UsersSettings';

/** `me` and `serverUrl`: who is signed in here (their own row says so; a new token of their own is switched to). */
export function SettingsPage({ me, serverUrl }: { me?: User; serverUrl?: string } = {}) {
  return (
    <section aria-labelledby="settings-heading" className="settings">
      <div className="page-head"><h2 id="settings-heading">Settings</h2></div>
      <UsersSettings {...(me ? { me } : {})} {...(serverUrl ? { serverUrl } : {})} />
      <ClosingCategoriesSettings />
      <CustomFieldsSettings />
      <ChannelsSettings />
      <AdAccountsSettings />
      <LifecycleStagesSettings />
      <AdsCatalogSettings />
      <InboxOriginsSettings />
      <ChatwootSettings />
    </section>
  );
}
