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
function endOfString(s: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = s.indexOf('"', from);
    if (quote < 0) throw new Malformed('unterminated string');
    let backslashes = 0;
    while (s.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The index after the value that starts at `i` (no whitespace before it): after the
 * closing bracket or quote, or, for a number or literal, at the delimiter that ends it.
 */
function endOfValue(s: string, i: number): number {
  let depth = 0;
  let at = i;
  for (;;) {
    const c = s.charCodeAt(at);
    if (c === QUOTE) {
      at = endOfString(s, at);
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
    } else if (Number.isNaN(c)) {
      throw new Malformed('unexpected end');
    }
    at++;
  }
}

/** Returned by a member reader to leave the member out. */
const DROP = Symbol('drop');

class PageReader {
  #at = 0;

  constructor(
    private readonly text: string,
    private readonly keep: ReadonlySet<string>,
    private readonly metadataOnly: ReadonlySet<string>,
  ) {}

  page(): unknown {
    const page = this.#object(name =>
      name === 'results' && this.#peek() === OPEN_BRACKET
        ? this.#array(() => this.#day())
        : this.#value(),
    );
    this.#skipWhitespace();
    if (this.#at !== this.text.length) throw new Malformed('trailing text');
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
            return this.#value();
          })
        : this.#value(),
    );
  }

  #skip(): typeof DROP {
    this.#skipWhitespace();
    this.#at = endOfValue(this.text, this.#at);
    return DROP;
  }

  #skipWhitespace() {
    for (;;) {
      const c = this.text.charCodeAt(this.#at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.#at++;
    }
  }

  #peek(): number {
    this.#skipWhitespace();
    return this.text.charCodeAt(this.#at);
  }

  #expect(c: number) {
    if (this.#peek() !== c) throw new Malformed('unexpected character');
    this.#at++;
  }

  #value(): unknown {
    this.#skipWhitespace();
    const start = this.#at;
    this.#at = endOfValue(this.text, start);
    return JSON.parse(this.text.slice(start, this.#at));
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
      this.#at = endOfString(this.text, start);
      const name = JSON.parse(this.text.slice(start, this.#at)) as string;
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
 * `JSON.parse` for a daily activity page that leaves out, unread, the breakdown dimensions
 * nobody asked for.
 *
 * LiteLLM repeats each daily row of a page in up to six breakdowns (models, model groups,
 * providers, endpoints, entities, API keys), every time with its metrics and key metadata:
 * about 3.6 kB per row, 3.6 MB per page of 1,000 rows. The usage sync reads two of them.
 * Building objects for the other four costs most of the parse and, above all, garbage:
 * a page parsed whole is larger than V8's young generation, so half of it is promoted and
 * the heap grows by hundreds of megabytes during a sync of a million rows.
 *
 * This reader walks the page's outer structure (the page, its `results`, each day, its
 * `breakdown`), skips the unwanted dimensions by scanning for the end of their value, and
 * hands every value it keeps to `JSON.parse`. Of the `metadataOnly` dimensions it keeps
 * each entry's `metadata` alone (their metrics are skipped like the unwanted dimensions).
 * Anything it does not expect (another shape, invalid JSON where it reads) makes it fall
 * back to `JSON.parse` of the whole text, which then answers exactly as before, errors
 * included. What it skips it only scans for strings and brackets, so a dropped part is
 * not validated.
 */
export function parseDailyActivityJson(
  text: string,
  breakdowns?: readonly string[],
  metadataOnly: readonly string[] = [],
): unknown {
  if (!breakdowns) return JSON.parse(text);
  try {
    return new PageReader(
      text,
      new Set(breakdowns),
      new Set(metadataOnly),
    ).page();
  } catch {
    return JSON.parse(text);
  }
}
