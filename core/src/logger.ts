import { pino, type Logger } from 'pino';
import type { ResolvedConfig } from './config/config.js';

export type { Logger };

/**
 * Creates the root logger. JSON lines by default (what log shippers want); secrets never
 * reach it because `redact` strips the fields that could carry them.
 */
export function createLogger(config: ResolvedConfig): Logger {
  return pino({
    level: config.log.level,
    base: { service: 'switchboard' },
    redact: {
      paths: [
        'password',
        '*.password',
        'code',
        '*.code',
        'refreshToken',
        '*.refreshToken',
        'accessToken',
        '*.accessToken',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
