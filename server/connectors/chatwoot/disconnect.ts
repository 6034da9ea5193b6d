import type { ChatwootDisconnected } from '../../../lib/contracts/chatwoot';
import { inTransaction } from '../../events/unit-of-work';
import type { Services } from '../../services';
import { accountsChanged } from './account-channels';
import { getConnection, KeptSecrets } from './connections';
import { forgetInboxes } from './inboxes';
import { lockMirror } from './mirror-contact';
import { leaveTombstone } from './tombstones';

/**
 * Disconnects a Chatwoot account: its webhook URL stops at once, its API token is forgotten. What
 * was mirrored stays (contacts, conversations with their history); conversations still open here
 * stay open, no longer updated, and say so in the inbox. A tombstone keeps where the account was,
 * so connecting the same base URL and account id again re-links all of it (tombstones.ts) rather
 * than opening every Chatwoot conversation anew beside a copy that was set aside.
 */
export async function disconnectAccount(services: Services, id: string): Promise<ChatwootDisconnected> {
  const conn = await getConnection(services, id);
  const open = await inTransaction(services.db, async (uow) => {
    await lockMirror({ uow, services, conn });
    const row = await uow.trx.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', id).where('status', '=', 'open').executeTakeFirstOrThrow();
    await uow.trx.deleteFrom('connections').where('id', '=', id).execute();
    const kept = KeptSecrets.parse(conn.secrets);
    await leaveTombstone(uow.trx, { connectionId: id, name: conn.row.name, baseUrl: conn.config.baseUrl, accountId: conn.config.accountId, origin: conn.config.origin },
      services.vault.seal(JSON.stringify(kept)));
    return Number(row.n);
  });
  forgetInboxes(id);
  accountsChanged(services);
  const still = open === 0 ? 'No conversation mirrored from it is open here.'
    : `${open} conversation${open === 1 ? '' : 's'} mirrored from it ${open === 1 ? 'stays' : 'stay'} open here with ${open === 1 ? 'its' : 'their'} history, `
      + 'but Chatwoot no longer updates them and workflow steps on them fail until the account is connected again.';
  return {
    id, openConversations: open,
    message: `Disconnected ${conn.row.name}: its webhook URL stops working now and its access token is forgotten. ${still} `
      + 'Connect the same address and account id again to pick up its conversations and contacts where they were (nothing is copied twice; the webhook URL stays the same).',
  };
}
