import { createRequire } from 'node:module';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

// The SDK and its instrumentations are loaded only when tracing is on, and
// synchronously (require), so they are in place before fastify and pg load:
// a static import would load all of the SDK's exporters into every process.
const require = createRequire(import.meta.url);

/**
 * Tracing is off unless the environment asks for it the way OpenTelemetry
 * documents: an exporter named in OTEL_TRACES_EXPORTER (other than `none`),
 * or an OTLP endpoint. OTEL_SDK_DISABLED=true turns it off whatever else is
 * set. Everything else (endpoint, headers, sampler, resource attributes,
 * service name) is read by the SDK itself from the standard OTEL_* variables.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface Tracing {
  /** Flushes the spans still buffered and stops the SDK; safe twice. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go instead of the exporters the environment names (tests: an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

/**
 * Starts the OpenTelemetry SDK with the HTTP, Fastify and pg
 * instrumentations, or returns null when tracing is off. It must run before
 * fastify and pg are first loaded, since the instrumentations patch them as
 * they load: the CLI imports `register-tracing.ts` ahead of everything else.
 * Batches get a span of their own from the pipeline (`earshot.batch`).
 */
export function startTracing(
  env: NodeJS.ProcessEnv = process.env,
  options: TracingOptions = {},
): Tracing | null {
  if (!options.spanProcessors && !tracingEnabled(env)) return null;
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { FastifyOtelInstrumentation } = require('@fastify/otel') as typeof import('@fastify/otel');
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        // Scrapes and probes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (req) => /^\/(metrics|healthz|readyz)\b/.test(req.url ?? ''),
      }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
      new PgInstrumentation(),
    ],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    // Traces only, unless metrics or logs are asked for by name: left alone, the SDK would also push
    // OTLP metrics and logs (Prometheus already scrapes the metrics, pino writes the logs).
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
    serviceName: env.OTEL_SERVICE_NAME ?? 'earshot',
    autoDetectResources: true,
  });
  sdk.start();
  let stopping: Promise<void> | null = null;
  active = {
    shutdown: () => {
      stopping ??= sdk.shutdown().catch(() => undefined);
      return stopping;
    },
  };
  return active;
}

let active: Tracing | null = null;

/** The tracing this process started, for the shutdown that flushes it; null when off. */
export function activeTracing(): Tracing | null {
  return active;
}
