import fc from 'fast-check';
import { bodyText } from './transport';

describe('bodyText', () => {
  const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it('reads ASCII, UTF-8 and a byte order mark as Response.text() does', () => {
    const json = '{"key_alias":"équipe-🚀","spend":0.5}';
    expect(bodyText(Buffer.from(json))).toBe(json);
    expect(bodyText(Buffer.from(`\ufeff${json}`))).toBe(json);
    expect(bodyText(Buffer.from('{"a":1}'))).toBe('{"a":1}');
    expect(bodyText(Buffer.alloc(0))).toBe('');
    // An invalid sequence becomes U+FFFD, as the fetch decoder replaces it.
    expect(bodyText(Buffer.from([0x7b, 0xff, 0x7d]))).toBe('{\ufffd}');
  });

  it('answers the same text as the WHATWG decoder for any bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.string({ unit: 'binary', maxLength: 32 }).map(s => Buffer.from(s)),
        ),
        bytes => {
          expect(bodyText(Buffer.from(bytes))).toBe(decoded(bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
