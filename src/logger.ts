/**
 * JSON logs (pino). Privacy: requests are logged by method, route pattern and status only:
 * never the IP address, user agent, cookies, query string or body, so nothing a reporter sends
 * or anything that identifies them reaches a log. Known secret-bearing keys are redacted too.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'receipt',
  '*.receipt',
  'narrative',
  '*.narrative',
  'body',
  '*.body',
  'headers',
  '*.headers',
  'cookie',
  '*.cookie',
  'authorization',
  '*.authorization',
  'totp',
  '*.totp',
  'code',
  '*.code',
];

export function createLogger(config: Pick<Config, 'logLevel' | 'logFile'>, stream?: DestinationStream): Logger {
  const dest = stream ?? (config.logFile ? pino.destination({ dest: config.logFile, mkdir: true, sync: false }) : pino.destination(1));
  return pino(
    {
      level: config.logLevel,
      base: { service: 'lookout' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    dest,
  );
}
