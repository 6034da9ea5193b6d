import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './routes/health/index';
import { userRoutes } from './routes/users/index';
import { contactRoutes } from './routes/contacts/index';
import { conversationRoutes } from './routes/conversations/index';
import { attachmentRoutes } from './routes/conversations/attachments';
import { inboxRoutes } from './routes/inbox/index';
import { inboxSessionRoutes } from './routes/inbox/session';
import { webhookAdminRoutes } from './routes/hooks/admin';
import { adRoutes } from './routes/ads/index';
import { metaRoutes } from './routes/meta/index';
import { channelRoutes } from './routes/channels/index';
import { registerAdClickNotes, registerMetaConnectors } from './channels/connector';
import { scheduleAdSync } from './channels/ads-sync';
import { scheduleChannelHousekeeping } from './channels/housekeeping';
import { startReplyRetries } from './channels/reply-retries';
import { startLateFallbacks } from './channels/late-fallbacks';
import { registerEngineDispatch } from './engine/dispatch/dispatcher';
import { registerDemoWorkflows } from './engine/demo-workflows';
import { workflowRoutes } from './routes/workflows/index';
import { runListRoutes } from './routes/runs/index';
import { shortcutRoutes } from './routes/shortcuts/index';
import { streamRoutes } from './routes/stream/index';
import { appRoutes } from './routes/apps/index';
import { chatwootDashboardAppRoutes } from './routes/chatwoot-dashboard-app/index';
import { chatwootRoutes } from './routes/chatwoot/index';
import { startChatwootSync } from './connectors/chatwoot/reconcile';
import { watchAccountChanges } from './connectors/chatwoot/account-channels';
import './connectors/chatwoot/connector';
import { settingsRoutes } from './routes/settings/index';
import { startEngine } from './engine/executor/index';
import type { NotePort } from './engine/executor/executor-thread';
import type { Services } from './services';

/**
 * Every feature of the companion, registered in one place. Each feature owns its routes
 * (under /api/v1 unless it says otherwise) and may start workers on `services`.
 * Add one line per feature; keep the order (engine before the routes that use it).
 * Incoming webhooks (/hooks) are registered in app.ts, ahead of the browser and user plugins.
 */
export async function registerFeatures(app: FastifyInstance, services: Services, opts: { workers: boolean; enginePort?: NotePort }) {
  void services; void opts;
  await startEngine(services, opts);
  registerEngineDispatch(services);
  registerDemoWorkflows();
  registerMetaConnectors();
  watchAccountChanges(services);
  registerAdClickNotes(services);
  if (opts.workers) scheduleAdSync(services, services.config.metaAdsSyncMinutes);
  if (opts.workers) scheduleChannelHousekeeping(services);
  if (opts.workers) startReplyRetries(services);
  if (opts.workers) startLateFallbacks(services);
  await app.register(healthRoutes);
  await app.register(userRoutes, { prefix: '/api/v1' });
  await app.register(contactRoutes, { prefix: '/api/v1' });
  await app.register(conversationRoutes, { prefix: '/api/v1' });
  await app.register(attachmentRoutes, { prefix: '/api/v1' });
  await app.register(inboxRoutes);
  await app.register(inboxSessionRoutes, { prefix: '/api/v1' });
  await app.register(webhookAdminRoutes, { prefix: '/api/v1' });
  await app.register(adRoutes, { prefix: '/api/v1' });
  await app.register(metaRoutes);
  await app.register(channelRoutes, { prefix: '/api/v1' });
  await app.register(workflowRoutes, { prefix: '/api/v1' });
  await app.register(runListRoutes, { prefix: '/api/v1' });
  await app.register(shortcutRoutes, { prefix: '/api/v1' });
  await app.register(streamRoutes, { prefix: '/api/v1' });
  await app.register(appRoutes, { prefix: '/api/v1', workers: opts.workers });
  await app.register(chatwootDashboardAppRoutes);
  await app.register(chatwootRoutes, { prefix: '/api/v1' });
  if (opts.workers) startChatwootSync(services);
  await app.register(settingsRoutes, { prefix: '/api/v1' });
}
