import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing, tracingEnabled } from './tracing.js';

describe('tracingEnabled', () => {
  it('is off unless OTEL_* names an exporter or an OTLP endpoint, and OTEL_SDK_DISABLED wins', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(
      true,
    );
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
    expect(startTracing({})).toBeNull();
  });
});

// The SDK starts before the app's modules (fastify, pg) are loaded, as the CLI does: they are imported below.
const exporter = new InMemorySpanExporter();
const tracing = startTracing({}, { spanProcessors: [new SimpleSpanProcessor(exporter)] });

describe('spans of a running service', () => {
  afterAll(async () => {
    await tracing?.shutdown();
  });

  it('has the HTTP request, its Fastify route, the batch with its counts and, on PostgreSQL, the queries', async () => {
    const { createTestApp } = await import('../http/test-app.js');
    const { openStore } = await import('../store/open-store.js');
    const url = process.env.DATABASE_URL;
    const store = url ? await openStore({ url }) : undefined;
    const t = await createTestApp(store ? { store } : {});
    try {
      const base = await t.server.listen({ host: '127.0.0.1', port: 0 });
      const event = {
        event_id: '00000000-0000-4000-8000-000000000001',
        event_type: 'conversation.ended',
        occurred_at: new Date().toISOString(),
        user_id: 'u-1',
        conversation_id: 'c-1',
        channel: 'chat',
      };
      const res = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([event, 42]),
      });
      expect(res.status).toBe(200);
      const spans = exporter.getFinishedSpans();
      const batch = spans.find((s) => s.name === 'earshot.batch');
      expect(batch?.attributes).toMatchObject({
        'earshot.source': 'http',
        'earshot.mode': 'observe',
        'earshot.events': 2,
        'earshot.accepted': 1,
        'earshot.rejected': 1,
      });
      expect(batch!.attributes['earshot.findings']).toBeGreaterThanOrEqual(1);
      const server = spans.find(
        (s) => s.kind === 1 && String(s.attributes['http.route'] ?? s.name).includes('/v1/events'),
      );
      expect(server, spans.map((s) => s.name).join(', ')).toBeDefined();
      // The batch runs inside the request's trace.
      expect(batch!.spanContext().traceId).toBe(server!.spanContext().traceId);
      // Fastify's spans name the route's plugin.
      expect(spans.map((s) => s.name)).toContain('handler - events');
      if (url)
        expect(
          spans.some((s) => s.attributes['db.system'] === 'postgresql' || s.name.startsWith('pg.')),
        ).toBe(true);
    } finally {
      await t.close();
    }
  });
});
