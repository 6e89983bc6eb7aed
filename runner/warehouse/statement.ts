import { WarehouseError, errorMessage } from '../errors.ts';

/** A statement's first line, short enough for an error message. */
export function firstLine(sql: string): string {
  const line = sql.trim().split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** Runs a driver call; its error becomes a WarehouseError naming the statement. */
export async function runStatement<T>(call: () => Promise<T>, sql: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new WarehouseError(`${errorMessage(error)}\n  in: ${firstLine(sql)}`, { cause: error });
  }
}
