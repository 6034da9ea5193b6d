/**
 * fastify-type-provider-zod writes a nullable union of several types (`string | number | null`)
 * as `{ anyOf: [...], nullable: true }`. OpenAPI 3.0.3 reads `nullable` only beside a `type`, so
 * strict tools (openapi-generator, ajv's OpenAPI mode) drop it and refuse the nulls the server
 * sends and takes. Null goes back into the union as zod's own 3.0 branch for it.
 */
const NULL_BRANCH = { type: 'string', nullable: true, enum: [null] };

export function nullableUnions<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableUnions) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableUnions(value);
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    const union = (out.anyOf ?? out.oneOf) as unknown[] | undefined;
    if (union) out[out.anyOf ? 'anyOf' : 'oneOf'] = [...union, NULL_BRANCH];
    // Anything else without a type (`{}`) takes null already.
  }
  return out as T;
}
