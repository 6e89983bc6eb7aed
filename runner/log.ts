export type LogFormat = 'text' | 'json';

export type Fields = Record<string, unknown>;

/** Progress and results for people (text) or log collectors (one JSON object per line). */
export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

export function createLogger(format: LogFormat = 'text', out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, stream: NodeJS.WritableStream, message: string, fields?: Fields) => {
    if (format === 'json') {
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
    } else {
      stream.write(`${level === 'info' ? '' : `${level}: `}${message}\n`);
    }
  };
  return {
    info: (message, fields) => write('info', out, message, fields),
    warn: (message, fields) => write('warn', err, message, fields),
    error: (message, fields) => write('error', err, message, fields),
  };
}
