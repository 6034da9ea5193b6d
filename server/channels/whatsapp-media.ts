import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { HttpError } from '../http-error';
import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';
import { credentialProblem } from './channel-health';
import { channelConfig, channelToken } from './connections';
import { graphCall, GraphError } from './graph';

// WhatsApp media a customer sent comes as Meta's media id, not an address: GET /{media-id} answers
// a short-lived URL (5 minutes), and that URL answers the file only with the channel's token in
// the Authorization header. https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
// (Retrieve Media URL: url, mime_type, sha256, file_size, id; `phone_number_id` makes Meta check
// the media belongs to that number. Download Media: GET the URL with the token; 404 once expired.)

/** Meta's largest media, a document (Supported Media Types, same page): anything bigger is not Meta's answer. */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

const MediaUrl = z.object({
  url: z.string().url(),
  mime_type: z.string().max(200).optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
});

// Hosts Meta answers media URLs on (lookaside.fbsbx.com today). The token goes to no other host:
// an answer naming another one is refused, not followed.
const META_HOSTS = ['fbsbx.com', 'facebook.com', 'fbcdn.net', 'whatsapp.net'];

/** Whether the channel's token may be sent to this address: Meta's own https hosts, or the configured Graph API's origin. */
export function mayCarryToken(url: URL, graphBaseUrl: string): boolean {
  if (url.origin === new URL(graphBaseUrl).origin) return true;
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && META_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

export interface FetchedMedia {
  body: Readable;
  contentType: string;
  /** Meta's Content-Length, when it said. */
  length: number | null;
}

const refusedByMeta = (err: GraphError) => {
  const problem = credentialProblem(err);
  if (problem) return new HttpError(502, 'channel_refused', problem);
  // Unknown id (100/33), or not this number's: Meta no longer has it, or never did for this channel.
  if (err.status === 404 || err.code === 100) {
    return new HttpError(404, 'media_unavailable', `Meta no longer has this WhatsApp media (Meta keeps what customers send only for a limited time): ${err.message}`);
  }
  return new HttpError(502, 'channel_error', `Meta did not give the media: ${err.message}`);
};

/** The media's bytes as Meta serves them, streamed, at most MAX_MEDIA_BYTES. */
export async function fetchWhatsAppMedia(services: Services, connection: ConnectionsTable, mediaId: string): Promise<FetchedMedia> {
  let token: string;
  try {
    token = channelToken(services, connection);
  } catch (err) {
    throw new HttpError(409, 'channel_unavailable', (err as Error).message);
  }
  const phoneNumberId = channelConfig(connection).phoneNumberId;
  let meta: z.infer<typeof MediaUrl>;
  try {
    const answer = await graphCall<unknown>({
      method: 'GET', path: `/${encodeURIComponent(mediaId)}`, token, ...(phoneNumberId ? { query: { phone_number_id: phoneNumberId } } : {}),
    }, { baseUrl: services.config.metaGraphUrl, attempts: 2 });
    const parsed = MediaUrl.safeParse(answer);
    if (!parsed.success) throw new HttpError(502, 'channel_error', 'Meta answered the media request without a media URL');
    meta = parsed.data;
  } catch (err) {
    throw err instanceof GraphError ? refusedByMeta(err) : err;
  }
  if (Number(meta.file_size) > MAX_MEDIA_BYTES) throw new HttpError(502, 'media_too_large', `Meta says this media has ${meta.file_size} bytes, more than WhatsApp allows (${MAX_MEDIA_BYTES})`);
  const res = await download(new URL(meta.url), token, services.config.metaGraphUrl);
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > MAX_MEDIA_BYTES) {
    await res.body?.cancel();
    throw new HttpError(502, 'media_too_large', `Meta sent ${length} bytes, more than WhatsApp allows (${MAX_MEDIA_BYTES})`);
  }
  const body = capped(MAX_MEDIA_BYTES);
  // Either side failing (Meta's connection drops, too many bytes) ends the other, and so the reply.
  pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), body, () => undefined);
  return {
    body,
    contentType: res.headers.get('content-type') ?? meta.mime_type ?? 'application/octet-stream',
    length: Number.isFinite(length) ? length : null,
  };
}

/** GET the media URL with the token; a redirect is followed only to where the token may go (up to 3). */
async function download(first: URL, token: string, graphBaseUrl: string): Promise<Response> {
  let url = first;
  for (let hop = 0; hop < 4; hop++) {
    if (!mayCarryToken(url, graphBaseUrl)) throw new HttpError(502, 'channel_error', `Meta answered a media address outside its own hosts (${url.host}); the channel's token is not sent there`);
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
    } catch (err) {
      throw new HttpError(502, 'channel_error', `Meta's media could not be downloaded: ${(err as Error).message}`);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (res.ok && res.body) return res;
    await res.body?.cancel();
    // Download Media: 404 once the URL expired (5 minutes) or the media is gone.
    if (res.status === 404) throw new HttpError(404, 'media_unavailable', 'Meta no longer has this WhatsApp media (Meta keeps what customers send only for a limited time)');
    throw new HttpError(502, 'channel_error', `Meta answered ${res.status} to the media download`);
  }
  throw new HttpError(502, 'channel_error', 'Meta redirected the media download too many times');
}

/** Passes bytes through until `max`, then fails the stream (the client sees a cut-off download, not a wrong file). */
function capped(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > max ? new Error(`The media is larger than ${max} bytes`) : null, seen > max ? undefined : chunk);
    },
  });
}
