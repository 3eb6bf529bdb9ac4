import { pino } from 'pino';

/**
 * Structured JSON logs. Personal data never reaches a log line in clear: the paths below are
 * redacted wherever they appear in a logged object.
 */
export function createLogger(level: string, name: string) {
  return pino({
    level,
    base: { process: name },
    redact: {
      paths: [
        '*.phone',
        '*.buyerPhone',
        '*.buyerName',
        '*.address',
        '*.password',
        '*.token',
        'req.headers.authorization',
      ],
      censor: '[masked]',
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;
