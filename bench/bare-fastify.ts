import Fastify from 'fastify';

// The ceiling: a Fastify route that parses a JSON body and answers 202, storing nothing.
const app = Fastify({ logger: false });
app.post('/hooks/:token', async (_req, reply) => reply.code(202).send({ eventId: 'evt', runIds: [] }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
