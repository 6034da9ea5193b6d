import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { App, AppApiKeyRotated, AppDeliveryRetried, AppList, appManifestBody, AppRegistered, AppSigningSecret, FireTriggerBody, FireTriggerResult, Installation, InstallBody, InstallValuesBody, RotateApiKeyQuery, StartWorkflowBody } from '../../../lib/contracts/apps';
import { revokePreviousKeys, rotateApiKey } from '../../apps/api-key';
import { startWorkflowFor } from '../../apps/start-workflow';
import { fireTrigger } from '../../apps/fire-trigger';
import { installApp, uninstallApp } from '../../apps/install';
import { reenterAuthValues } from '../../apps/install-values';
import { deleteApp, updateApp } from '../../apps/manage';
import { retryDelivery } from '../../apps/retry-delivery';
import { rotateSigningSecret } from '../../apps/signing-secret';
import { OutboxWorker } from '../../apps/outbox';
import { getApp, insertApp, listApps } from '../../apps/store';
import { allowedMediaHost, privateMediaShown } from '../../apps/media-allow-list';
import { conflict } from '../../http-error';
import { generateSigningSecret } from '../../signing/standard-webhooks';
import { isUniqueViolation } from '../../store/database';
import { NoContent } from '../../http/openapi';
import { storedTextMasker, withShownLastError, type ShowStored } from '../../secrets/stored-texts';
import { IdempotencyKeyHeaders } from '../../../lib/contracts/idempotency';
import { listQuery } from '../../../lib/contracts/list-query';
import { readNationalPhone } from '../contacts/national-phone';

const Params = z.object({ id: z.string().max(64) });

/** Mini-apps (DESIGN §9): registration and installs (admin), triggers fired by the apps themselves. */
export const appRoutes: FastifyPluginAsyncZod<{ workers?: boolean }> = async (app, opts) => {
  const services = app.services;
  const { db } = services;
  // Media on hosts the operator allow-listed are taken and shown, as the HTTP step reaches them.
  const mediaAllowed = allowedMediaHost(services.config.allowPrivateUrls);
  const AppManifestBody = appManifestBody(mediaAllowed);
  const withMedia = <T extends Pick<App, 'manifest'>>(a: T): T => {
    const shown = privateMediaShown(a.manifest, mediaAllowed);
    return shown.length ? { ...a, privateMediaShown: shown } : a;
  };

  // Unsubscribe requests (and any later outbox kinds) are delivered in the background.
  const outbox = new OutboxWorker(services);
  if (opts.workers !== false) {
    outbox.start();
    services.onClose(() => outbox.stop());
  }

  app.post('/apps', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['apps'], body: AppManifestBody, response: { 201: AppRegistered } },
  }, async (req, reply) => {
    if (await db.selectFrom('apps').select('id').where('key', '=', req.body.key).executeTakeFirst()) {
      throw conflict(`An app with the key "${req.body.key}" is already registered`);
    }
    // Shown this once: the app's server keeps it to verify the requests we sign.
    const signingSecret = generateSigningSecret();
    try {
      const registered = await insertApp(db, req.body, app.services.vault.seal(signingSecret));
      return reply.code(201).send({ app: withMedia(registered), signingSecret });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`An app with the key "${req.body.key}" is already registered`);
      throw err;
    }
  });

  app.get('/apps', { config: { access: { role: 'admin' } }, schema: { tags: ['apps'], response: { 200: AppList } } },
    async () => {
      const [apps, show] = await Promise.all([listApps(db), storedTextMasker(db, services.vault)]);
      return { apps: apps.map((a) => withMedia(shownDeliveries(a, show))) };
    });

  app.get('/apps/:id', { config: { access: { role: 'admin' } }, schema: { tags: ['apps'], params: Params, response: { 200: App } } },
    async (req) => {
      const [one, show] = await Promise.all([getApp(db, req.params.id), storedTextMasker(db, services.vault)]);
      return withMedia(shownDeliveries(one, show));
    });

  // Not in DESIGN §8: change, remove, and re-key a registered app (docs/DESIGN-NOTES.md).
  app.put('/apps/:id', {
    config: { access: { role: 'admin' }, errors: {
      409: '`app_in_use`: published workflows (or unfinished runs) use what the new manifest drops; `reinstall_needed`: auth inputs the installation cannot fill, while installed. Scopes added while installed are saved but not granted: `installation.scopesToGrant` lists them until POST /apps/{id}/install/api-key/rotate?scopes=apply',
    } },
    schema: { tags: ['apps'], params: Params, body: AppManifestBody, response: { 200: App } },
  }, async (req) => withMedia(await updateApp(services, req.params.id, req.body)));

  app.delete('/apps/:id', { config: { access: { role: 'admin' }, errors: { 409: '`app_installed`: uninstall it first; `app_in_use`: workflows (drafts too) name it' } }, schema: { tags: ['apps'], params: Params, response: { 204: NoContent } } },
    async (req, reply) => {
      await deleteApp(services, req.params.id);
      return reply.code(204).send();
    });

  app.post('/apps/:id/signing-secret/rotate', {
    config: { access: { role: 'admin' }, errors: { 409: '`rotation_in_progress`: the secret rotated out last time still signs (until `previousSecretExpiresAt`); `?force=true` drops it' } },
    schema: {
      tags: ['apps'],
      summary: 'A new signing secret, shown once; the previous one keeps signing next to it for 24 hours (webhook-signature: v1,<new> v1,<previous>), '
        + 'unless it was forgotten with a lost secret key (npm run forget-secrets): then the new one signs alone (`previousSecretExpiresAt` null)',
      params: Params,
      querystring: listQuery({ force: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }, 'this route'),
      response: { 200: AppSigningSecret },
    },
  }, async (req) => rotateSigningSecret(services, req.params.id, req.query.force));

  app.post('/apps/:id/install', {
    config: { access: { role: 'admin' }, errors: {
      409: 'The app is already installed (uninstall it first), or was uninstalled while its server was answering; `signing_secret_forgotten`: the app\'s signing secret was forgotten with a lost secret key (npm run forget-secrets): rotate it first',
      502: '`subscribe_failed`: the app\'s server did not answer the subscribe request with a 2xx in time; the key is revoked, and when its server may have stored it (timeout, dropped connection, 5xx) it is sent an unsubscribe request',
    } },
    schema: { tags: ['apps'], params: Params, body: InstallBody, response: { 201: Installation } },
  }, async (req, reply) => reply.code(201).send(await installApp(services, req.params.id, req.body, () => outbox.wake())));

  app.delete('/apps/:id/install', {
    config: { access: { role: 'admin' }, errors: { 409: '`app_in_use`: published workflows, or unfinished runs of earlier versions, use its triggers or actions; `details` names them' } },
    schema: { tags: ['apps'], summary: 'Uninstall: the key is revoked at once; the app\'s server is sent an unsubscribe request in the background', params: Params, response: { 204: NoContent } },
  },
    async (req, reply) => {
      await uninstallApp(services, req.params.id, () => outbox.wake());
      return reply.code(204).send();
    });

  // After a lost secret key, without uninstalling (which published workflows prevent): apps/install-values.ts.
  app.put('/apps/:id/install/auth-values', {
    config: { access: { role: 'admin' }, errors: {
      404: '`not_installed`: install the app instead',
      409: '`install_values_kept`: the values were not forgotten; to change them, uninstall and install again (the app\'s server is then sent them)',
      422: 'A value the manifest\'s auth inputs refuse; `details` names it (`authValues.<key>`)',
    } },
    schema: {
      tags: ['apps'],
      summary: 'Enter the install values again after npm run forget-secrets forgot them (`forgottenSecrets` holds `authValues`): checked as on install and sealed with the current key; '
        + 'nothing is sent to the app\'s server, which kept the values it was sent on install',
      params: Params, body: InstallValuesBody, response: { 200: App },
    },
  }, async (req) => reenterAuthValues(services, req.params.id, req.body.authValues));

  // A leaked key is replaced without uninstalling (which published workflows prevent): apps/api-key.ts.
  app.post('/apps/:id/install/api-key/rotate', {
    config: { access: { role: 'admin' }, errors: {
      404: '`not_installed`: install the app to give it a key',
      409: '`rotation_in_progress`: another new key is being sent to the app\'s server right now; `no_subscribe_url`: the manifest has no subscribeUrl to send a key to; '
        + '`signing_secret_forgotten` / `install_values_forgotten`: forgotten with a lost secret key (npm run forget-secrets): rotate the signing secret, or enter the install values again (PUT /apps/{id}/install/auth-values)',
      422: 'The subscribe URL is on a private network address the companion refuses (COMPANION_ALLOW_PRIVATE_URLS); nothing was sent',
      502: '`subscribe_failed`: the app\'s server refused the new key (3xx/4xx, connection refused): it is revoked, the current key goes on working. '
        + '`subscribe_unconfirmed`: no answer in time, a dropped connection or a 5xx: the new key is current, and the keys it replaces keep working for 24 hours (`installation.previousKeysExpireAt`) so the app works whichever it stored',
    } },
    schema: {
      tags: ['apps'],
      summary: 'Regenerate the installed app\'s API key: the new key is sent in a subscribe request (`reason: key_rotated`, same installationId); the app\'s 2xx revokes the previous key at once. `?scopes=apply` grants the scopes the manifest added',
      params: Params, querystring: RotateApiKeyQuery, response: { 200: AppApiKeyRotated },
    },
  }, async (req) => ({ installation: await rotateApiKey(services, req.params.id, req.query.scopes) }));

  app.post('/apps/:id/install/api-key/revoke-previous', {
    config: { access: { role: 'admin' }, errors: {
      404: '`not_installed`',
      409: '`rotation_in_progress`: a new key is being sent to the app\'s server right now',
    } },
    schema: {
      tags: ['apps'],
      summary: 'After an unconfirmed key rotation: the keys it replaced stop working now, only the current key is left',
      params: Params, response: { 200: AppApiKeyRotated },
    },
  }, async (req) => ({ installation: await revokePreviousKeys(services, req.params.id) }));

  // What a failed delivery needs once the admin fixed its cause (the app's server has the new secret).
  app.post('/apps/:id/deliveries/:deliveryId/retry', {
    config: { access: { role: 'admin' }, errors: { 409: '`delivery_in_progress`: another attempt is sending it right now' } },
    schema: {
      tags: ['apps'], summary: 'Send an undelivered request to the app\'s server (an unsubscribe) again now; answers how that attempt went',
      params: Params.extend({ deliveryId: z.string().max(64) }), response: { 200: AppDeliveryRetried },
    },
  }, async (req) => ({ delivery: await retryDelivery(services, outbox, req.params.id, req.params.deliveryId) }));

  app.post('/apps/:id/triggers/:triggerKey', {
    config: { access: { appOnly: true }, errors: {
      403: '`forbidden`: not an app key, or the key of another app; a key fired at another app id (each workspace registers the app under its own id) is told the id that goes with it',
      409: '`idempotency_key_reused`: this Idempotency-Key came with another body',
    } },
    // A contact named by a phone without its country code is read in the workspace's default country, as the contacts API reads it.
    preValidation: readNationalPhone(db, FireTriggerBody, 'contact'),
    schema: {
      tags: ['apps'],
      summary: 'Fire one of the app\'s triggers for a contact (the app\'s own key); an Idempotency-Key repeats the first answer (`x-duplicate-delivery: true`) instead of firing again',
      params: Params.extend({ triggerKey: z.string().max(64) }),
      headers: IdempotencyKeyHeaders,
      body: FireTriggerBody,
      response: { 202: FireTriggerResult },
    },
  }, async (req, reply) => {
    const { duplicate, ...ack } = await fireTrigger(services, req.principal, req.params.id, req.params.triggerKey, req.body, req.headers['idempotency-key']);
    if (duplicate) reply.header('x-duplicate-delivery', 'true');
    return reply.code(202).send(ack);
  });

  // "Send sub flow" (scope workflows.start; admins too): its own route, not a mini-app trigger.
  app.post('/workflows/:id/start', {
    config: { access: { role: 'admin', scope: 'workflows.start' }, errors: {
      409: '`conflict`: the workflow is a draft or has another trigger than manual; `idempotency_key_reused`: this Idempotency-Key came with another body',
    } },
    preValidation: readNationalPhone(db, StartWorkflowBody, 'contact'),
    schema: {
      tags: ['apps'],
      summary: 'Start a published manual-trigger workflow for a contact, with variables; an Idempotency-Key repeats the first answer (`x-duplicate-delivery: true`) instead of starting it again',
      params: Params, headers: IdempotencyKeyHeaders, body: StartWorkflowBody, response: { 202: FireTriggerResult },
    },
  }, async (req, reply) => {
    const { duplicate, ...ack } = await startWorkflowFor(services, req.principal, req.params.id, req.body, req.headers['idempotency-key']);
    if (duplicate) reply.header('x-duplicate-delivery', 'true');
    return reply.code(202).send(ack);
  });
};

/** An app's undelivered requests, their errors stored before answers were masked may quote its secret (stored-texts.ts). */
const shownDeliveries = <T extends { deliveries: { lastError: string | null }[] }>(a: T, show: ShowStored): T =>
  ({ ...a, deliveries: a.deliveries.map((d) => withShownLastError(d, show)) });
