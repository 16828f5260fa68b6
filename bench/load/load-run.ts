/**
 * One step of the HTTP load bench: autocannon posting batches to
 * `POST /v1/events` over loopback for a bounded time, with a fixed number
 * of connections.
 *
 * autocannon runs in a child process, not in the caller's: the server under
 * test usually runs in the caller's process, and a client on its event loop
 * would add its own work to the event-loop delay that decides load shedding,
 * and its own memory to the RSS the bench reports.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type autocannon from 'autocannon';

export interface LoadOptions {
  /** The full URL of the ingest route, e.g. http://127.0.0.1:8080/v1/events; loopback hosts only. */
  url: string;
  /** The request body; several bodies are sent in turn by every connection (each with the same number of events). */
  body: string | readonly string[];
  /** `application/x-ndjson` or `application/json`. */
  contentType: string;
  connections: number;
  /** How long requests are sent; at most MAX_DURATION_SECONDS. */
  durationSeconds: number;
}

export interface LoadResult {
  connections: number;
  /** The run's measured length (autocannon's start to stop), in seconds. */
  durationSeconds: number;
  /** Responses received, whatever their status. */
  requests: number;
  requestsPerSecond: number;
  /** Events in each body (lines of NDJSON, items of a JSON array, 1 for a JSON object). */
  eventsPerRequest: number;
  /** Events accepted: 2xx responses times events per body, per second. A shed batch carries none. */
  eventsPerSecond: number;
  /**
   * Latency percentiles of the 2xx responses, in ms (0 when there were none): the accepted
   * batches only, since a shed batch is answered before its body is read.
   */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** 503 responses: load shed. */
  shed: number;
  /** Non-2xx responses other than 503. */
  otherNon2xx: number;
  /** Count per status code. */
  statusCodes: Record<string, number>;
  /** Connection errors, timeouts included (autocannon's count). */
  errors: number;
  /** Requests that got no response within REQUEST_TIMEOUT_SECONDS. */
  timeouts: number;
}

/** A bound on one run, so a typo cannot load a machine for an hour. */
export const MAX_DURATION_SECONDS = 300;
/** What autocannon waits for a response before counting a timeout. */
export const REQUEST_TIMEOUT_SECONDS = 10;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL, parsed, if it is plain HTTP to a loopback host; otherwise throws. */
export function loopbackUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new Error(`load runs against loopback only (http://127.0.0.1, localhost or [::1]), not ${url}`);
  }
  return parsed;
}

/** The number of events in a body of the given content type. */
export function eventsInBody(body: string, contentType: string): number {
  if (contentType.toLowerCase().includes('ndjson')) {
    let n = 0;
    for (const line of body.split('\n')) if (line.trim() !== '') n++;
    return n;
  }
  const parsed: unknown = JSON.parse(body);
  return Array.isArray(parsed) ? parsed.length : 1;
}

/**
 * The client, run by `node -e` with autocannon's path as its argument: reads
 * autocannon options as JSON on stdin and writes as JSON on stdout the
 * result and the latency (ms) of every 2xx response. autocannon's own
 * histogram keeps whole milliseconds, too coarse for a batch answered in 2.
 */
const CLIENT = `
const autocannon = require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const latencies = [];
  const instance = autocannon(JSON.parse(input), (err, result) => {
    if (err) {
      process.stderr.write(String(err && err.stack ? err.stack : err));
      process.exit(1);
    }
    process.stdout.write(JSON.stringify({ result, latencies }));
  });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
});
`;

interface ClientOutput {
  result: autocannon.Result;
  /** Latency of each 2xx response, in ms. */
  latencies: number[];
}

/** The p-th percentile (nearest rank) of `xs`; 0 for none. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Runs autocannon with `options` in a child process, killed if it outlives `limitMs`. */
function runClient(options: autocannon.Options, limitMs: number): Promise<ClientOutput> {
  const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, autocannonPath], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `was killed (${signal}) after ${limitMs} ms` : `exited with ${code}`;
        reject(new Error(`the autocannon client ${why}: ${stderr.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as ClientOutput);
      } catch (err) {
        reject(
          new Error(`the autocannon client wrote no result: ${(err as Error).message}; ${stderr.trim()}`),
        );
      }
    });
    child.stdin.end(JSON.stringify(options));
  });
}

/** Posts the body (or bodies) with `connections` connections for `durationSeconds` and reports what came back. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = loopbackUrl(options.url);
  const { connections, durationSeconds, contentType } = options;
  if (!Number.isInteger(connections) || connections < 1)
    throw new Error('connections must be a positive integer');
  if (!(durationSeconds > 0 && durationSeconds <= MAX_DURATION_SECONDS)) {
    throw new Error(`durationSeconds must be above 0 and at most ${MAX_DURATION_SECONDS}`);
  }
  const bodies = typeof options.body === 'string' ? [options.body] : [...options.body];
  if (bodies.length === 0) throw new Error('no body to send');
  const eventsPerRequest = eventsInBody(bodies[0]!, contentType);
  for (const body of bodies) {
    if (eventsInBody(body, contentType) !== eventsPerRequest) {
      throw new Error('every body must hold the same number of events');
    }
  }

  const headers = { 'content-type': contentType };
  const { result, latencies } = await runClient(
    {
      url: url.href,
      method: 'POST',
      headers,
      requests: bodies.map((body) => ({ method: 'POST', headers, body })),
      connections,
      duration: durationSeconds,
      timeout: REQUEST_TIMEOUT_SECONDS,
    },
    // autocannon stops at its next one-second sample after the duration; past that, something hangs.
    (durationSeconds + REQUEST_TIMEOUT_SECONDS + 15) * 1000,
  );

  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count ?? 0;
  const ok = result['2xx'];
  const shed = statusCodes['503'] ?? 0;
  const requests = result.requests.total;
  const seconds = result.duration > 0 ? result.duration : durationSeconds;
  return {
    connections,
    durationSeconds: seconds,
    requests,
    requestsPerSecond: requests / seconds,
    eventsPerRequest,
    eventsPerSecond: (ok * eventsPerRequest) / seconds,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    ok,
    shed,
    otherNon2xx: result.non2xx - shed,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
