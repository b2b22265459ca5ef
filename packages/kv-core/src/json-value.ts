import { CfkvError } from './errors.js';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

interface ValueLocation {
  table: string;
  key: string;
  field: string;
}

/**
 * Converts a value to the JSON value that `JSON.stringify` would write, so that every read path
 * returns the same thing: a Date becomes its ISO string and `toJSON` is honoured. As there, NaN
 * and infinite numbers become null and a Map or Set becomes `{}`. It rejects, naming the field
 * and the path inside it, cycles and BigInt (which `JSON.stringify` throws on) and invalid dates.
 */
export function toJsonValue(value: unknown, location: ValueLocation): JsonValue {
  return convert(value, location.field, location, new Set());
}

/** Sets an own property, even one named `__proto__`, without touching the prototype. */
export function setOwnProperty(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function convert(
  value: unknown,
  path: string,
  location: ValueLocation,
  ancestors: Set<object>,
): JsonValue {
  if (value instanceof Date) return convertDate(value, path, location);
  if (typeof value === 'bigint') throw notJson('is a BigInt', path, location);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return null;

  if (ancestors.has(value)) throw notJson('contains a cycle', path, location);
  ancestors.add(value);
  const converted = convertObject(value, path, location, ancestors);
  ancestors.delete(value);
  return converted;
}

function convertObject(
  value: object,
  path: string,
  location: ValueLocation,
  ancestors: Set<object>,
): JsonValue {
  if (hasToJson(value)) return convert(value.toJSON(), path, location, ancestors);
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) =>
      convert(item, `${path}[${index}]`, location, ancestors),
    );
  }

  const object: { [key: string]: JsonValue } = {};
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    setOwnProperty(object, name, convert(item, `${path}.${name}`, location, ancestors));
  }
  return object;
}

function convertDate(date: Date, path: string, location: ValueLocation): string {
  if (!Number.isNaN(date.getTime())) return date.toISOString();
  throw notJson('is an invalid Date', path, location);
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function notJson(problem: string, path: string, location: ValueLocation): CfkvError {
  return new CfkvError(
    'INVALID_ARGUMENT',
    `${path} of ${location.key} in ${location.table} ${problem} and cannot be stored as JSON.`,
    location,
  );
}
