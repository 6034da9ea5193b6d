import { AppManifest } from '../../lib/contracts/apps';
import type { Principal } from '../auth/principal';
import type { MessageAuthor } from '../domain/conversations';
import { fromJson, type Executor } from '../store/database';

/**
 * Who a reply or note posted by this request is written by: the signed-in user, or the mini-app
 * whose API key it is, named as it is now (stored with the message, as a workflow's name is), so
 * the inbox says "App: Shopify sync" where it said "Agent", as Chatwoot names an integration's
 * messages. An app's name is read only for an app key: a user's request costs nothing more.
 */
export async function messageAuthorOf(db: Executor, principal: Principal | null | undefined): Promise<MessageAuthor & { type: 'user' | 'app' }> {
  if (principal?.kind !== 'app') return { type: 'user', id: principal?.kind === 'user' ? principal.user.id : null };
  const app = await db.selectFrom('apps').select(['key', 'manifest']).where('id', '=', principal.appId).executeTakeFirst();
  // As GET /me names it (whoami.ts): a manifest it cannot read names the app by its key.
  const manifest = app ? AppManifest.safeParse(fromJson(app.manifest, {})) : undefined;
  return { type: 'app', id: principal.appId, name: manifest?.success ? manifest.data.name : app?.key ?? principal.appId };
}
