/**
 * JSON media types, whatever their parameters: `application/json`, `application/json; charset=utf-8`,
 * `application/vnd.api+json; charset=utf-8` (RFC 6839 `+json` suffix). Only the media type
 * decides; case is ignored (RFC 9110 §8.3.1). Fastify tests a RegExp parser against the whole
 * header, parameters included, hence the `(;|$)` ending.
 */
export const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.+-]+\+)?json[ \t]*(?:;|$)/i;
