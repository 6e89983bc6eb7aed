import { redact } from './redact.ts';

export type LogFormat = 'text' | 'json';

export type Fields = Record<string, unknown>;

/** Progress and results for people (text) or log collectors (one JSON object per line). */
export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

/**
 * Every line goes through `redact`: whatever a message quotes (a driver's error, a URL, a config value),
 * no secret reaches a terminal or a log collector. In json, a message of several lines stays one object.
 */
export function createLogger(format: LogFormat = 'text', out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, stream: NodeJS.WritableStream, message: string, fields?: Fields) => {
    if (format === 'json') {
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message: redact(message), ...redactFields(fields) })}\n`);
    } else {
      stream.write(`${level === 'info' ? '' : `${level}: `}${redact(message)}\n`);
    }
  };
  return {
    info: (message, fields) => write('info', out, message, fields),
    warn: (message, fields) => write('warn', err, message, fields),
    error: (message, fields) => write('error', err, message, fields),
  };
}

/** The log format asked for on the command line, known before the config loads (its errors are logged too). */
export function logFormatOf(argv: readonly string[]): LogFormat {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--log-format' && argv[i + 1] === 'json') return 'json';
    if (argv[i] === '--log-format=json') return 'json';
  }
  return 'text';
}

function redactFields(fields: Fields | undefined): Fields | undefined {
  if (!fields) return fields;
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value);
    if (Array.isArray(value)) return value.map(clean);
    return value;
  };
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, clean(value)]));
}
