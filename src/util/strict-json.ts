/**
 * JSON read strictly from the bytes of an input file: valid UTF-8 (a fatal decoder, never
 * replacement characters), RFC 8259 syntax, and no key twice in one object. JSON.parse keeps
 * the last of two equal keys silently, so `{"id": "A", ..., "id": "B"}` would say one thing to
 * a person reading the top of the file and another to the importer; here it is refused, naming
 * the key and where it is. Keys are compared after unescaping (`"id"` and `"\u0069d"` are one
 * key). Hand-written because no JSON parser in Node reports duplicates; values are built exactly
 * as JSON.parse builds them (a `__proto__` key is an own property, never a prototype).
 */

export class StrictJsonError extends Error {
  constructor(
    message: string,
    /** Where it is: `sensors.3.clipStart`, or '' for the top level. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

/** Nesting deeper than this is refused before the stack is at risk; real metadata is 3-4 deep. */
export const MAX_JSON_DEPTH = 64;

type Path = (string | number)[];
const pathText = (p: Path) => p.join('.');
const where = (p: Path) => (p.length ? ` at ${pathText(p)}` : ' at the top level');

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  private at = 0;
  private readonly path: Path = [];
  /** With a probe: the path of the last value or key that starts at or before it. */
  probed = '';

  constructor(
    private readonly text: string,
    private readonly probe = -1,
  ) {}

  parseDocument(): unknown {
    this.space();
    const value = this.value(0);
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected ${this.describe()} after the end of the document`);
    return value;
  }

  private fail(message: string): never {
    throw new StrictJsonError(`is not valid JSON: ${message}${where(this.path)} (character ${this.at + 1})`, pathText(this.path));
  }

  private describe(): string {
    if (this.at >= this.text.length) return 'end of file';
    return JSON.stringify(this.text.slice(this.at, this.at + 12));
  }

  private space(): void {
    while (this.at < this.text.length && WS.has(this.text.charCodeAt(this.at))) this.at++;
  }

  private value(depth: number): unknown {
    if (this.at <= this.probe) this.probed = pathText(this.path);
    if (depth >= MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't' && this.text.startsWith('true', this.at)) return ((this.at += 4), true);
    if (c === 'f' && this.text.startsWith('false', this.at)) return ((this.at += 5), false);
    if (c === 'n' && this.text.startsWith('null', this.at)) return ((this.at += 4), null);
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (m) {
      this.at += m[0].length;
      return Number(m[0]);
    }
    return this.fail(`expected a value, found ${this.describe()}`);
  }

  private object(depth: number): Record<string, unknown> {
    this.at++; // {
    const out: Record<string, unknown> = {};
    const keys = new Set<string>();
    this.space();
    if (this.text[this.at] === '}') return (this.at++, out);
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail(`expected a key in quotes, found ${this.describe()}`);
      const keyAt = this.at;
      const key = this.string();
      if (keyAt <= this.probe) this.probed = pathText([...this.path, key]);
      if (keys.has(key)) {
        const inside = this.path.length ? ` in ${pathText(this.path)}` : ' at the top level';
        throw new StrictJsonError(`has key ${JSON.stringify(key)} twice${inside}`, pathText([...this.path, key]));
      }
      keys.add(key);
      this.space();
      if (this.text[this.at] !== ':') this.fail(`expected ':' after key ${JSON.stringify(key)}, found ${this.describe()}`);
      this.at++;
      this.space();
      this.path.push(key);
      const v = this.value(depth + 1);
      this.path.pop();
      // As JSON.parse does: an own property, even for __proto__.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      else out[key] = v;
      this.space();
      const c = this.text[this.at];
      if (c !== ',' && c !== '}') this.fail(`expected ',' or '}', found ${this.describe()}`);
      this.at++;
      if (c === '}') return out;
    }
  }

  private array(depth: number): unknown[] {
    this.at++; // [
    const out: unknown[] = [];
    this.space();
    if (this.text[this.at] === ']') return (this.at++, out);
    for (;;) {
      this.space();
      this.path.push(out.length);
      out.push(this.value(depth + 1));
      this.path.pop();
      this.space();
      const c = this.text[this.at];
      if (c !== ',' && c !== ']') this.fail(`expected ',' or ']', found ${this.describe()}`);
      this.at++;
      if (c === ']') return out;
    }
  }

  /** A string token: scanned for its end and for raw control characters, then unescaped by JSON.parse itself. */
  private string(): string {
    const start = this.at++;
    for (;;) {
      if (this.at >= this.text.length) this.fail('a string is not closed');
      const code = this.text.charCodeAt(this.at);
      if (code === 0x22) break;
      if (code < 0x20) this.fail('a raw control character inside a string');
      this.at += code === 0x5c ? 2 : 1;
    }
    this.at++;
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      this.at = start;
      return this.fail('a bad escape inside a string');
    }
  }
}

/** Parses JSON text strictly (syntax, duplicate keys, depth). */
export function parseStrictJson(text: string): unknown {
  return new Parser(text).parseDocument();
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT = new TextDecoder('utf-8');

/** Index of the first byte that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (i + need >= bytes.length && need > 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      let lo = 0x80,
        hi = 0xbf;
      if (k === 1 && b === 0xe0) lo = 0xa0; // overlong
      if (k === 1 && b === 0xed) hi = 0x9f; // surrogates
      if (k === 1 && b === 0xf0) lo = 0x90; // overlong
      if (k === 1 && b === 0xf4) hi = 0x8f; // beyond U+10FFFF
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes the bytes of a JSON file with a fatal UTF-8 decoder and parses them strictly. On bad
 * UTF-8 the error names the byte and the field it falls in.
 */
export function parseStrictJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    // The prefix is valid, so its lenient decoding is exact: its length is the character index.
    const index = LENIENT.decode(bytes.subarray(0, Math.max(0, bad))).length;
    const probe = new Parser(LENIENT.decode(bytes), index);
    try {
      probe.parseDocument();
    } catch {
      // A document broken after the bad byte still tells where the byte is.
    }
    const path = probe.probed;
    throw new StrictJsonError(`is not valid UTF-8: byte ${bad}${path ? `, in ${path}` : ''}`, path);
  }
  return parseStrictJson(text);
}
