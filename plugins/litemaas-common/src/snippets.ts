/**
 * Ready-to-paste examples for a new key: shown once with its secret (the create and
 * rotate answers, and the portal's one-time secret modal).
 *
 * @public
 */
export interface KeySnippets {
  /** Shell lines that export the key and base URL for the OpenAI SDKs. */
  env: string;
  curl: string;
  python: string;
  javascript: string;
}

/** The OpenAI-compatible base URL (`.../v1`) key holders call. @public */
export function openAiBaseUrl(publicBaseUrl: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return /\/v1$/.test(base) ? base : `${base}/v1`;
}

function quoteShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Builds the snippets for a key. Only `env` holds the secret: the code snippets read it
 * from `OPENAI_API_KEY`, so pasting them into a repository does not leak the key.
 *
 * @public
 */
export function buildKeySnippets(input: {
  secret: string;
  publicBaseUrl: string;
  model: string;
}): KeySnippets {
  const baseUrl = openAiBaseUrl(input.publicBaseUrl);
  const model = JSON.stringify(input.model);
  const body = JSON.stringify({
    model: input.model,
    messages: [{ role: 'user', content: 'Hello!' }],
  });
  return {
    env: [
      `export OPENAI_API_KEY=${quoteShell(input.secret)}`,
      `export OPENAI_BASE_URL=${quoteShell(baseUrl)}`,
    ].join('\n'),
    curl: [
      `curl ${quoteShell(`${baseUrl}/chat/completions`)} \\`,
      `  -H "Authorization: Bearer $OPENAI_API_KEY" \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d ${quoteShell(body)}`,
    ].join('\n'),
    python: [
      'import os',
      'from openai import OpenAI',
      '',
      `client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], base_url=${JSON.stringify(
        baseUrl,
      )})`,
      'response = client.chat.completions.create(',
      `    model=${model},`,
      '    messages=[{"role": "user", "content": "Hello!"}],',
      ')',
      'print(response.choices[0].message.content)',
    ].join('\n'),
    javascript: [
      "import OpenAI from 'openai';",
      '',
      'const client = new OpenAI({',
      '  apiKey: process.env.OPENAI_API_KEY,',
      `  baseURL: ${JSON.stringify(baseUrl)},`,
      '});',
      'const response = await client.chat.completions.create({',
      `  model: ${model},`,
      "  messages: [{ role: 'user', content: 'Hello!' }],",
      '});',
      'console.log(response.choices[0].message.content);',
    ].join('\n'),
  };
}
