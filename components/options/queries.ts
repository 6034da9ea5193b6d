import { useQuery } from '@tanstack/react-query';
import { AdAccountList } from '../../lib/contracts/ads';
import { AppList } from '../../lib/contracts/apps';
import { ChannelList, WhatsAppTemplateList, type Channel, type WhatsAppTemplate } from '../../lib/contracts/channels';
import { FieldList, LifecycleStages } from '../../lib/contracts/contacts';
import { ClosingCategories } from '../../lib/contracts/conversations';
import { DefaultCountry } from '../../lib/contracts/settings';
import { Restrictions, UserList } from '../../lib/contracts/users';
import { Workflow } from '../../lib/contracts/workflow';
import { request } from './api';
import { AdCatalog } from './schemas';
import { allWorkflows } from './workflow-pages';

export const keys = {
  workflows: ['workflows'] as const,
  workflow: (id: string) => ['workflows', id] as const,
  fields: ['fields'] as const,
  ads: ['ads'] as const,
  adAccounts: ['ad-accounts'] as const,
  apps: ['apps'] as const,
  users: ['users'] as const,
  restrictions: ['restrictions'] as const,
  categories: ['closing-categories'] as const,
  lifecycle: ['lifecycle-stages'] as const,
  defaultCountry: ['default-country'] as const,
  channels: ['channels'] as const,
  whatsappTemplates: ['channels', 'whatsapp-templates'] as const,
};

/** Every workflow, by name, every page read (workflow-pages.ts), for the pickers. */
export const useWorkflows = () => useQuery({ queryKey: keys.workflows, queryFn: allWorkflows });
export const useWorkflow = (id: string | undefined) =>
  useQuery({ queryKey: keys.workflow(id ?? ''), enabled: !!id, queryFn: () => request(Workflow, 'GET', `/workflows/${encodeURIComponent(id ?? '')}`) });
export const useFields = () => useQuery({ queryKey: keys.fields, queryFn: () => request(FieldList, 'GET', '/fields') });
export const useAds = () => useQuery({ queryKey: keys.ads, queryFn: () => request(AdCatalog, 'GET', '/ads') });
/** The linked ad accounts (admins only): their names, for the pickers. */
export const useAdAccounts = () => useQuery({ queryKey: keys.adAccounts, queryFn: () => request(AdAccountList, 'GET', '/ads/accounts') });
export const useApps = () => useQuery({ queryKey: keys.apps, queryFn: () => request(AppList, 'GET', '/apps') });
export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: () => request(UserList, 'GET', '/users') });
export const useRestrictions = () =>
  useQuery({ queryKey: keys.restrictions, queryFn: () => request(Restrictions, 'GET', '/settings/restrictions') });
export const useClosingCategories = () =>
  useQuery({ queryKey: keys.categories, queryFn: () => request(ClosingCategories, 'GET', '/settings/closing-categories') });

export const useLifecycleStages = () =>
  useQuery({ queryKey: keys.lifecycle, queryFn: () => request(LifecycleStages, 'GET', '/settings/lifecycle-stages') });
/** The workspace's country for national phone numbers, which also says how its people write dates. */
export const useDefaultCountry = () =>
  useQuery({ queryKey: keys.defaultCountry, queryFn: () => request(DefaultCountry, 'GET', '/settings/default-country') });

/** Each WhatsApp channel's templates (read from Meta by the server), or why they could not be read. */
export type ChannelTemplates = { channel: Channel; templates: WhatsAppTemplate[]; error: string | null };
export const useWhatsAppTemplates = () => useQuery({
  queryKey: keys.whatsappTemplates,
  staleTime: 5 * 60_000,
  queryFn: async (): Promise<ChannelTemplates[]> => {
    const { channels } = await request(ChannelList, 'GET', '/channels');
    return Promise.all(channels.filter((c) => c.kind === 'whatsapp').map(async (channel) => {
      try {
        const { templates } = await request(WhatsAppTemplateList, 'GET', `/channels/${encodeURIComponent(channel.id)}/whatsapp-templates`);
        return { channel, templates, error: null };
      } catch (err) {
        return { channel, templates: [], error: err instanceof Error ? err.message : String(err) };
      }
    }));
  },
});
