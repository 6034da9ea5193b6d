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
import { idempotencyRequestHash } from './040-idempotency-request-hash';
import { webhookTokenHash } from './041-webhook-token-hash';
import { webhookSigningSecret } from './042-webhook-signing-secret';

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
  '040-idempotency-request-hash': idempotencyRequestHash,
  '041-webhook-token-hash': webhookTokenHash,
  '042-webhook-signing-secret': webhookSigningSecret,
};
