import { ServiceUnavailableError } from './errors.js';

/**
 * One JSON object of a service answer, read field by field for wire-mapping.ts.
 * Absent and `null` are the same (the caller supplies the default); a present value
 * of the wrong type throws `ServiceUnavailableError` naming its dotted path (`at`).
 */
export class WireObject {
  readonly value: Record<string, unknown>;
  readonly at: string;

  constructor(value: unknown, at: string) {
    this.at = at;
    if (value === undefined || value === null) this.value = {};
    else if (typeof value === 'object' && !Array.isArray(value))
      this.value = value as Record<string, unknown>;
    else throw malformed(at, 'an object');
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  isEmpty(): boolean {
    return Object.keys(this.value).length === 0;
  }

  #read<T>(key: string, expected: string, check: (value: unknown) => value is T): T | undefined {
    if (!this.has(key)) return undefined;
    const value = this.value[key];
    if (!check(value)) throw malformed(fieldPath(this.at, key), expected);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.#read(key, 'a string', (value): value is string => typeof value === 'string');
  }

  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  requiredString(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined) throw malformed(fieldPath(this.at, key), 'present');
    return value;
  }

  number(key: string, fallback: number): number {
    return (
      this.#read(key, 'a number', (value): value is number => Number.isFinite(value)) ?? fallback
    );
  }

  /** 0..1; a numeric string is read as its number, a word (`"explicit"`) as 0. */
  confidence(key: string): number {
    const raw = this.value[key];
    const value = typeof raw === 'string' ? Number(raw) || 0 : this.number(key, 0);
    return Math.min(1, Math.max(0, value));
  }

  boolean(key: string, fallback: boolean): boolean {
    return (
      this.#read(key, 'a boolean', (value): value is boolean => typeof value === 'boolean') ??
      fallback
    );
  }

  date(key: string): Date | undefined {
    const text = this.optionalString(key);
    if (text === undefined) return undefined;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw malformed(fieldPath(this.at, key), 'an ISO 8601 date');
    return date;
  }

  requiredDate(key: string): Date {
    const date = this.date(key);
    if (!date) throw malformed(fieldPath(this.at, key), 'present');
    return date;
  }

  object(key: string): WireObject {
    return new WireObject(this.value[key], fieldPath(this.at, key));
  }

  list(key: string): unknown[] {
    return this.#read(key, 'a list', (value): value is unknown[] => Array.isArray(value)) ?? [];
  }

  stringList(key: string): string[] {
    const list = this.list(key);
    if (!list.every((entry) => typeof entry === 'string'))
      throw malformed(fieldPath(this.at, key), 'a list of strings');
    return list as string[];
  }

  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const value = this.optionalString(key);
    if (value === undefined) return fallback;
    if (!(values as readonly string[]).includes(value))
      throw malformed(fieldPath(this.at, key), `one of ${values.join(', ')}`);
    return value as T;
  }
}

/** `at.key`, or `key` at the root. */
export function fieldPath(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function malformed(field: string, expected: string): ServiceUnavailableError {
  return new ServiceUnavailableError({
    message: `unexpected answer from the service: ${field || 'the body'} must be ${expected}`,
  });
}
