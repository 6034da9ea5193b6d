import type { Migration } from 'kysely/migration';
import { foundation } from './001-foundation';
import { engine } from './002-engine';
import { integrations } from './003-integrations';
import { runClaims } from './005-run-claims';
import { appSigningSecrets } from './006-app-signing-secrets';
import { channelIdentities } from './007-channel-identities';
import { runQueueHeads } from './008-run-queue-heads';
import { runsDueByState } from './009-runs-due-by-state';
import { eventRunIds } from './010-event-run-ids';
import { connections } from './011-connections';
import { metaChannels } from './012-meta-channels';
import { adsSync } from './013-ads-sync';
import { earlyStatuses } from './014-early-statuses';

// Names sort in order; add new ones at the end, never edit a released one.
export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-engine': engine,
  '003-integrations': integrations,
  '005-run-claims': runClaims,
  '006-app-signing-secrets': appSigningSecrets,
  '007-channel-identities': channelIdentities,
  '008-run-queue-heads': runQueueHeads,
  '009-runs-due-by-state': runsDueByState,
  '010-event-run-ids': eventRunIds,
  '011-connections': connections,
  '012-meta-channels': metaChannels,
  '013-ads-sync': adsSync,
  '014-early-statuses': earlyStatuses,
};
