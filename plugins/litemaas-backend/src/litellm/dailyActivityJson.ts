import { isAscii } from 'node:buffer';
import { bodyText, isRecord } from './transport';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

class Malformed extends Error {}

/** The index after the string that starts (with its quote) at `i`. */
function endOfString(bytes: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) throw new Malformed('unterminated string');
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The index after the value that starts at `i` (no whitespace before it): after the
 * closing bracket or quote, or, for a number or literal, at the delimiter that ends it.
 */
function endOfValue(bytes: Buffer, i: number): number {
  const end = bytes.length;
  let depth = 0;
  let at = i;
  for (;;) {
    if (at >= end) throw new Malformed('unexpected end');
    const c = bytes[at];
    if (c === QUOTE) {
      at = endOfString(bytes, at);
      if (depth === 0) return at;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return at;
      depth--;
      if (depth === 0) return at + 1;
    } else if (c === COMMA && depth === 0) {
      return at;
    }
    at++;
  }
}

/** Returned by a member reader to leave the member out. */
const DROP = Symbol('drop');

class PageReader {
  #at: number;
  readonly #encoding: 'latin1' | 'utf8';

  constructor(
    private readonly bytes: Buffer,
    private readonly keep: ReadonlySet<string>,
    private readonly metadataOnly: ReadonlySet<string>,
  ) {
    // Every byte JSON's structure is made of is ASCII and never part of a multi-byte
    // UTF-8 sequence, so the values between them decode alone as in the whole text.
    this.#encoding = isAscii(bytes) ? 'latin1' : 'utf8';
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    this.#at = bom ? 3 : 0;
  }

  page(): unknown {
    const page = this.#object(name =>
      name === 'results' && this.#peek() === OPEN_BRACKET
        ? this.#array(() => this.#day())
        : this.#value(),
    );
    this.#skipWhitespace();
    if (this.#at !== this.bytes.length) throw new Malformed('trailing text');
    return page;
  }

  #day(): unknown {
    if (this.#peek() !== OPEN_BRACE) return this.#value();
    return this.#object(name =>
      name === 'breakdown' && this.#peek() === OPEN_BRACE
        ? this.#object(dimension => {
            if (!this.keep.has(dimension)) return this.#skip();
            if (this.metadataOnly.has(dimension) && this.#peek() === OPEN_BRACE)
              return this.#object(() =>
                this.#peek() === OPEN_BRACE
                  ? this.#object(member =>
                      member === 'metadata' ? this.#value() : this.#skip(),
                    )
                  : this.#value(),
              );
            // Entry by entry: a dimension's whole value would be a string of up to a
            // megabyte, which V8 puts straight into the old generation.
            return this.#peek() === OPEN_BRACE
              ? this.#object(() => this.#value())
              : this.#value();
          })
        : this.#value(),
    );
  }

  #skip(): typeof DROP {
    this.#skipWhitespace();
    this.#at = endOfValue(this.bytes, this.#at);
    return DROP;
  }

  #skipWhitespace() {
    for (;;) {
      const c = this.bytes[this.#at];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.#at++;
    }
  }

  #peek(): number {
    this.#skipWhitespace();
    return this.bytes[this.#at];
  }

  #expect(c: number) {
    if (this.#peek() !== c) throw new Malformed('unexpected character');
    this.#at++;
  }

  #value(): unknown {
    this.#skipWhitespace();
    const start = this.#at;
    this.#at = endOfValue(this.bytes, start);
    return JSON.parse(this.#text(start, this.#at));
  }

  #text(start: number, end: number): string {
    return this.bytes.toString(this.#encoding, start, end);
  }

  #object(member: (name: string) => unknown): Record<string, unknown> {
    this.#expect(OPEN_BRACE);
    const out: Record<string, unknown> = {};
    if (this.#peek() === CLOSE_BRACE) {
      this.#at++;
      return out;
    }
    for (;;) {
      if (this.#peek() !== QUOTE) throw new Malformed('expected a name');
      const start = this.#at;
      this.#at = endOfString(this.bytes, start);
      const name = JSON.parse(this.#text(start, this.#at)) as string;
      // JSON.parse makes "__proto__" an own member; an assignment would not.
      if (name === '__proto__') throw new Malformed('__proto__');
      this.#expect(COLON);
      const value = member(name);
      if (value !== DROP) out[name] = value;
      const next = this.#peek();
      this.#at++;
      if (next === CLOSE_BRACE) return out;
      if (next !== COMMA) throw new Malformed('expected , or }');
    }
  }

  #array(item: () => unknown): unknown[] {
    this.#expect(OPEN_BRACKET);
    const out: unknown[] = [];
    if (this.#peek() === CLOSE_BRACKET) {
      this.#at++;
      return out;
    }
    for (;;) {
      out.push(item());
      const next = this.#peek();
      this.#at++;
      if (next === CLOSE_BRACKET) return out;
      if (next !== COMMA) throw new Malformed('expected , or ]');
    }
  }
}

/**
 * `JSON.parse` of a daily activity page's bytes that leaves out, unread, the breakdown
 * dimensions nobody asked for, and never builds the page's text.
 *
 * LiteLLM repeats each daily row of a page in up to six breakdowns (models, model groups,
 * providers, endpoints, entities, API keys), every time with its metrics and key metadata:
 * about 3.6 kB per row, 3.6 MB per page of 1,000 rows. The usage sync reads two of them.
 * Building objects for the other four costs most of the parse and, above all, garbage:
 * a page parsed whole is larger than V8's young generation, so half of it is promoted and
 * the heap grows by hundreds of megabytes during a sync of a million rows.
 *
 * This reader walks the page's outer structure (the page, its `results`, each day, its
 * `breakdown`) over the body's bytes, skips the unwanted dimensions by scanning for the
 * end of their value, and decodes only the values it keeps, each handed to `JSON.parse`.
 * Of the `metadataOnly` dimensions it keeps each entry's `metadata` alone (their metrics
 * are skipped like the unwanted dimensions), and the others entry by entry. Garbage
 * collection is why: V8 holds a string of megabytes (the page's text) outside its heap
 * and one of more than 128 kB (a dimension's whole value) in its old generation, and
 * either kind starts full collections of the whole backend heap, up to one a second
 * during a sync (a fifth of the backend's CPU). The bytes alone, and the entries' short
 * texts in the young generation, do not.
 *
 * Anything it does not expect (another shape, invalid JSON where it reads, a member
 * named `__proto__`) makes it fall back to `JSON.parse` of the whole text (decoded as
 * {@link bodyText} does), errors included, with the same breakdowns left out: either way
 * the answer is the same. What it skips it only scans for strings and brackets, so a
 * dropped part is not validated.
 */
export function parseDailyActivityJson(
  body: Buffer,
  breakdowns?: readonly string[],
  metadataOnly: readonly string[] = [],
): unknown {
  if (!breakdowns) return JSON.parse(bodyText(body));
  const keep = new Set(breakdowns);
  const metadataOnlySet = new Set(metadataOnly);
  try {
    return new PageReader(body, keep, metadataOnlySet).page();
  } catch {
    return withoutUnread(JSON.parse(bodyText(body)), keep, metadataOnlySet);
  }
}

/**
 * A parsed page without what the reader leaves out: the breakdowns not kept, and all
 * but the `metadata` of each entry of a metadata-only one (where the shapes are objects,
 * as the reader does).
 */
function withoutUnread(
  page: unknown,
  keep: ReadonlySet<string>,
  metadataOnly: ReadonlySet<string>,
): unknown {
  if (!isRecord(page) || !Array.isArray(page.results)) return page;
  for (const day of page.results) {
    if (!isRecord(day) || !isRecord(day.breakdown)) continue;
    const breakdown = day.breakdown;
    for (const dimension of Object.keys(breakdown)) {
      const entries = breakdown[dimension];
      if (!keep.has(dimension)) {
        delete breakdown[dimension];
      } else if (metadataOnly.has(dimension) && isRecord(entries)) {
        for (const entry of Object.values(entries)) {
          if (!isRecord(entry)) continue;
          for (const member of Object.keys(entry)) {
            if (member !== 'metadata') delete entry[member];
          }
        }
      }
    }
  }
  return page;
}
