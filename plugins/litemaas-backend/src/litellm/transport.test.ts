import { mockServices } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import {
  fakeSecret,
  setupLiteLLMMsw,
  TEST_BASE_URL,
} from './__testUtils__/helpers';
import { bodyText, LiteLLMTransport } from './transport';

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

describe('LiteLLMTransport: a 2xx body', () => {
  const { server, url } = setupLiteLLMMsw();
  const transport = () =>
    new LiteLLMTransport({
      baseUrl: TEST_BASE_URL,
      masterKey: fakeSecret('M'),
      logger: mockServices.logger.mock(),
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
    });
  const answer = (body: string | Uint8Array) =>
    server.use(
      http.get(url('/probe'), () => new HttpResponse(body, { status: 200 })),
    );

  it('is nothing when blank, its text when it is not JSON, its JSON otherwise', async () => {
    for (const blank of ['', ' \r\n\t', '\ufeff', '\u00a0 ']) {
      answer(blank);
      await expect(
        transport().call({ method: 'GET', route: '/probe' }),
      ).resolves.toBeUndefined();
    }
    answer('upstream says hi');
    await expect(
      transport().call({ method: 'GET', route: '/probe' }),
    ).resolves.toBe('upstream says hi');
    answer('\ufeff {"équipe": [1]}');
    await expect(
      transport().call({ method: 'GET', route: '/probe' }),
    ).resolves.toEqual({ équipe: [1] });
  });

  it('goes to parseBody as bytes, and is answered as text when parseBody fails', async () => {
    answer('{"a": "é"}');
    const seen: unknown[] = [];
    await expect(
      transport().call({
        method: 'GET',
        route: '/probe',
        parseBody: body => {
          seen.push(body);
          return body.length;
        },
      }),
    ).resolves.toBe(Buffer.byteLength('{"a": "é"}'));
    expect(Buffer.isBuffer(seen[0])).toBe(true);
    await expect(
      transport().call({
        method: 'GET',
        route: '/probe',
        parseBody: () => {
          throw new SyntaxError('no');
        },
      }),
    ).resolves.toBe('{"a": "é"}');
  });
});
