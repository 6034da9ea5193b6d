import { AdsCatalogSettings } from './AdsCatalogSettings';
import { ChannelsSettings } from './ChannelsSettings';
import { AdAccountsSettings } from './AdAccountsSettings';
import { ChatwootSettings } from './ChatwootSettings';
import { ClosingCategoriesSettings } from './ClosingCategoriesSettings';
import { CustomFieldsSettings } from './CustomFieldsSettings';
import { InboxOriginsSettings } from './InboxOriginsSettings';
import { LifecycleStagesSettings } from './LifecycleStagesSettings';
import { UsersSettings } from './UsersSettings';

export function SettingsPage() {
  return (
    <section aria-labelledby="settings-heading" className="settings">
      <div className="page-head"><h2 id="settings-heading">Settings</h2></div>
      <UsersSettings />
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
