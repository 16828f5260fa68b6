import { startTracing, type Tracing } from './tracing.js';

/**
 * Imported first by the CLI entry point, so that tracing, when the OTEL_*
 * environment asks for it, starts before fastify and pg are loaded and
 * their instrumentations can patch them.
 */
export const tracing: Tracing | null = startTracing(process.env);
