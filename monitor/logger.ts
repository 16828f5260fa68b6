import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * The service's logger. Events and their values are never logged, only
 * counts, ids and reasons, so raw PII cannot reach the logs through it.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'earshot' } }, destination);
}
