import type { FastifyInstance } from 'fastify';

/** A request body as text, with the media type it was sent as (parameters stripped, lower case). */
export interface RawBody {
  mediaType: string;
  text: string;
}

/**
 * Makes the (encapsulated) instance accept exactly these media types, each
 * read as a string up to `bodyLimit` bytes and left for the route to parse:
 * the routes decide what a malformed body means (a 400, or per-event
 * findings for NDJSON lines). Any other content type is a 415.
 */
export function acceptRawBodies(server: FastifyInstance, mediaTypes: string[], bodyLimit: number): void {
  server.removeAllContentTypeParsers();
  for (const mediaType of mediaTypes) {
    server.addContentTypeParser(mediaType, { parseAs: 'string', bodyLimit }, (_req, body, done) => {
      done(null, { mediaType, text: body as string } satisfies RawBody);
    });
  }
}

/** The raw body of a request, or null when none was sent. */
export function rawBodyOf(body: unknown): RawBody | null {
  if (body && typeof body === 'object' && 'text' in body && 'mediaType' in body) return body as RawBody;
  return null;
}
