import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isSupportedCountry } from 'libphonenumber-js';
import { DefaultCountry } from '../../../lib/contracts/settings';
import { getDefaultCountry, setDefaultCountry } from '../../domain/default-country';
import { unprocessable } from '../../http-error';

/** Workspace settings that are not a feature's own: the default country for national phone numbers. */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get('/settings/default-country', { config: { access: { role: 'agent' } }, schema: { tags: ['settings'], response: { 200: DefaultCountry } } },
    async () => ({ country: await getDefaultCountry(db) }));

  app.put('/settings/default-country', { config: { access: { role: 'admin' } }, schema: { tags: ['settings'], body: DefaultCountry, response: { 200: DefaultCountry } } },
    async (req) => {
      const { country } = req.body;
      if (country && !isSupportedCountry(country)) {
        throw unprocessable(`"${country}" is not a country with a known phone numbering plan`, [{ path: 'country', message: 'Unknown country code' }]);
      }
      await setDefaultCountry(db, country);
      return { country };
    });
};
