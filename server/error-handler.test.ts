import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandler, plainTypeMessage } from './error-handler';

describe('error handler', () => {
  it('a write that names a record deleted meanwhile (PostgreSQL 23503, SQLite FOREIGN KEY) is a 409 saying so, not a 500', async () => {
    const app = Fastify();
    installErrorHandler(app);
    app.post('/pg', async () => { throw Object.assign(new Error('insert or update on table "messages" violates foreign key constraint "messages_conversation_id_fkey"'), { code: '23503' }); });
    app.post('/sqlite', async () => { throw Object.assign(new Error('FOREIGN KEY constraint failed'), { code: 'ERR_SQLITE_ERROR', errcode: 787 }); });
    for (const url of ['/pg', '/sqlite']) {
      const res = await app.inject({ method: 'POST', url });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^This refers to a record that was just deleted/) });
    }
    await app.close();
  });

  it('a transaction PostgreSQL rolled back to untangle a deadlock (40P01, 40001) is a 503 to send again, not a 500', async () => {
    const app = Fastify();
    installErrorHandler(app);
    app.post('/deadlock', async () => { throw Object.assign(new Error('deadlock detected'), { code: '40P01' }); });
    app.post('/serialization', async () => { throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' }); });
    for (const url of ['/deadlock', '/serialization']) {
      const res = await app.inject({ method: 'POST', url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json().error).toMatchObject({ code: 'busy', message: expect.stringMatching(/send it again$/) });
    }
    await app.close();
  });

  it.each([
    ['Invalid input: expected string, received undefined', 'Required: give a string'],
    ['Invalid input: expected object, received undefined', 'Required: give an object'],
    ['Invalid input: expected string, received number', 'Expected a string, got a number'],
    ['Invalid input: expected number, received NaN', 'Expected a number, got NaN'],
    ['Write the text to send', 'Write the text to send'],
  ])('words zod\'s type message %j as %j', (zod, plain) => {
    expect(plainTypeMessage(zod)).toBe(plain);
  });
});
