/**
 * Plain JSON data: what free-form fields (action parameters, audit details) may hold. Checked
 * iteratively, so no input can overflow the stack, and bounded in depth and size, so no input can
 * make a store choke. The check copies: what comes out is plain data read exactly once, whatever
 * getters or Proxies went in.
 *
 * @module
 */
import type { InputIssue } from '../errors.js';
import { describeThrown, err, ok, type Result } from '../result.js';

/**
 * Bounds of {@link toPlainJson}: how deep values may nest and about how large (in UTF-16 code units
 * of their JSON text) they may be.
 *
 * @example
 * ```ts
 * import type { PlainJsonLimits } from 'actioncenter/adapter-kit';
 * const tight: PlainJsonLimits = { maxDepth: 4, maxSize: 1024 };
 * ```
 */
export interface PlainJsonLimits {
  /** The deepest nesting allowed: the value's own members are at depth 1. */
  readonly maxDepth: number;
  /** The largest JSON text allowed, counted in UTF-16 code units (escapes not counted). */
  readonly maxSize: number;
}

/**
 * The bounds of action parameters and audit details: 32 levels deep, 64 KiB of JSON text.
 *
 * @example
 * ```ts
 * import { PLAIN_JSON_LIMITS } from 'actioncenter/adapter-kit';
 * PLAIN_JSON_LIMITS.maxDepth; // 32
 * ```
 */
export const PLAIN_JSON_LIMITS: PlainJsonLimits = Object.freeze({ maxDepth: 32, maxSize: 64 * 1024 });

/** Keys that would let a copied object change its prototype or reach Object's. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

type Path = readonly (string | number)[];
type Visit = {
  readonly value: unknown;
  readonly path: Path;
  readonly depth: number;
  readonly assign: (v: unknown) => void;
};
type Exit = { readonly exit: object };

/**
 * Copies `value` as plain JSON data, or says where and why it is not: only `null`, booleans,
 * finite numbers, strings, dense arrays and plain objects (prototype `Object.prototype` or `null`)
 * with string keys and data properties; no functions, symbols, BigInts, Dates, Maps, class
 * instances, getters, cycles, prototype keys (`__proto__`, `constructor`, `prototype`); at most
 * `limits.maxDepth` deep and `limits.maxSize` large. An object property holding `undefined` is
 * dropped, as JSON does. Iterative: no recursion, so no input overflows the stack; never throws
 * (reading that throws is an `unreadable` issue at the path).
 *
 * @example
 * ```ts
 * import { toPlainJson } from 'actioncenter/adapter-kit';
 * toPlainJson({ a: [1, 'x', null] }); // { ok: true, value: { a: [1, 'x', null] } }
 * const r = toPlainJson({ when: new Date(0) });
 * if (!r.ok) console.log(r.error.path); // ['when']
 * ```
 */
export function toPlainJson(value: unknown, limits: PlainJsonLimits = PLAIN_JSON_LIMITS): Result<unknown, InputIssue> {
  const flat = flatCopy(value, limits.maxSize);
  if (flat !== undefined) return ok(flat);
  let root: unknown;
  let size = 0;
  const onPath = new Set<object>();
  const stack: (Visit | Exit)[] = [{ value, path: [], depth: 0, assign: (v) => (root = v) }];
  const fail = (path: Path, code: string, message: string) => err<InputIssue>({ path: [...path], code, message });
  const tooLarge = (path: Path) => fail(path, 'too_big', `must be at most ${limits.maxSize} characters of JSON`);
  let current: Path = [];
  try {
    for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
      if ('exit' in task) {
        onPath.delete(task.exit);
        continue;
      }
      const { value: v, path, depth, assign } = task;
      current = path;
      switch (typeof v) {
        case 'string':
          size += v.length + 2;
          assign(v);
          break;
        case 'number':
          if (!Number.isFinite(v)) return fail(path, 'invalid_type', 'must be a finite number');
          size += String(v).length;
          assign(v);
          break;
        case 'boolean':
          size += v ? 4 : 5;
          assign(v);
          break;
        case 'object': {
          if (v === null) {
            size += 4;
            assign(null);
            break;
          }
          if (onPath.has(v)) return fail(path, 'custom', 'must not be cyclic');
          if (depth >= limits.maxDepth) return fail(path, 'too_big', `must be nested at most ${limits.maxDepth} deep`);
          if (Array.isArray(v)) {
            if (Object.getPrototypeOf(v) !== Array.prototype)
              return fail(path, 'invalid_type', 'must be a plain array');
            const length: number = v.length;
            // Every element costs at least one character: refuse a huge array before walking it.
            size += 2 + length * 2;
            if (size > limits.maxSize) return tooLarge(path);
            const out: unknown[] = new Array<unknown>(length).fill(null);
            assign(out);
            onPath.add(v);
            stack.push({ exit: v });
            for (let i = length - 1; i >= 0; i -= 1) {
              const d = Object.getOwnPropertyDescriptor(v, i);
              if (d === undefined) return fail([...path, i], 'invalid_type', 'must not be a hole in the array');
              if (!('value' in d)) return fail([...path, i], 'invalid_type', 'must be data, not a getter');
              if (d.value === undefined) return fail([...path, i], 'invalid_type', 'must not be undefined');
              stack.push({ value: d.value, path: [...path, i], depth: depth + 1, assign: (x) => (out[i] = x) });
            }
            break;
          }
          const proto: unknown = Object.getPrototypeOf(v);
          if (proto !== Object.prototype && proto !== null) {
            return fail(path, 'invalid_type', 'must be a plain object (not a Date, Map, class instance, ...)');
          }
          const keys = Reflect.ownKeys(v);
          size += 2;
          const out: Record<string, unknown> = {};
          const children: Visit[] = [];
          for (const key of keys) {
            if (typeof key === 'symbol') return fail(path, 'invalid_key', 'must not have symbol keys');
            const d = Object.getOwnPropertyDescriptor(v, key);
            if (d === undefined || d.enumerable !== true) continue;
            if (FORBIDDEN_KEYS.has(key))
              return fail(
                [...path, key],
                'invalid_key',
                'must not contain the keys __proto__, constructor or prototype',
              );
            if (!('value' in d)) return fail([...path, key], 'invalid_type', 'must be data, not a getter');
            if (d.value === undefined) continue;
            size += key.length + 4;
            if (size > limits.maxSize) return tooLarge(path);
            children.push({ value: d.value, path: [...path, key], depth: depth + 1, assign: (x) => (out[key] = x) });
          }
          assign(out);
          onPath.add(v);
          stack.push({ exit: v });
          for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as Visit);
          break;
        }
        case 'undefined':
          return fail(path, 'invalid_type', 'must be JSON data, not undefined');
        default:
          // function, symbol, bigint
          return fail(path, 'invalid_type', `must be JSON data, not a ${typeof v}`);
      }
      if (size > limits.maxSize) return tooLarge(path);
    }
  } catch (cause) {
    // Reading a revoked Proxy or a throwing trap: the value cannot be plain data.
    return fail(current, 'unreadable', `could not be read: ${describeThrown(cause)}`);
  }
  return ok(root);
}

/**
 * The common case, fast: a plain object of at most 64 string keys whose values are strings, finite
 * numbers, booleans or null (most action parameters). Its copy, or undefined to leave the decision
 * (and any error) to the full walk, which gives the same copy for every value this accepts.
 */
function flatCopy(value: unknown, maxSize: number): Record<string, unknown> | undefined {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const keys = Reflect.ownKeys(value);
    if (keys.length > 64) return undefined;
    const out: Record<string, unknown> = {};
    let size = 2;
    for (const key of keys) {
      if (typeof key !== 'string' || FORBIDDEN_KEYS.has(key)) return undefined;
      const d = Object.getOwnPropertyDescriptor(value, key);
      if (d === undefined || d.enumerable !== true || !('value' in d)) return undefined;
      const x: unknown = d.value;
      // An upper bound of the full walk's count (a number's text is at most 24 characters).
      if (typeof x === 'string') size += x.length + 2;
      else if (typeof x === 'boolean' || x === null) size += 5;
      else if (typeof x === 'number' && Number.isFinite(x)) size += 24;
      else return undefined;
      size += key.length + 4;
      out[key] = x;
    }
    return size <= maxSize ? out : undefined;
  } catch {
    return undefined;
  }
}
