import { buildKeySnippets, openAiBaseUrl } from './snippets';

describe('key snippets', () => {
  const secret = ['sk', 'abcdefghijklmnopqrstuvwx0123'].join('-');

  it('points the OpenAI clients at the proxy, /v1 added once', () => {
    expect(openAiBaseUrl('https://llm.example.com/')).toBe(
      'https://llm.example.com/v1',
    );
    expect(openAiBaseUrl('https://llm.example.com/v1')).toBe(
      'https://llm.example.com/v1',
    );
  });

  it('puts the secret only in the environment lines', () => {
    const snippets = buildKeySnippets({
      secret,
      publicBaseUrl: 'https://llm.example.com',
      model: 'ibm-granite/granite-3.1-8b-instruct',
    });
    expect(snippets.env).toContain(`export OPENAI_API_KEY='${secret}'`);
    expect(snippets.env).toContain(
      "export OPENAI_BASE_URL='https://llm.example.com/v1'",
    );
    for (const code of [snippets.curl, snippets.python, snippets.javascript]) {
      expect(code).not.toContain(secret);
      expect(code).toContain('https://llm.example.com/v1');
      expect(code).toContain('ibm-granite/granite-3.1-8b-instruct');
    }
    expect(snippets.python).toContain('from openai import OpenAI');
    expect(snippets.javascript).toContain("import OpenAI from 'openai';");
  });

  it('quotes a base URL with a quote safely for the shell', () => {
    const { env } = buildKeySnippets({
      secret,
      publicBaseUrl: "https://x.example/it's",
      model: 'm',
    });
    expect(env).toContain(`'https://x.example/it'\\''s/v1'`);
  });
});
