/** Ready-to-paste ways to use a key: the `openai` clients read the secret from the environment. */
export interface Snippets {
  env: string;
  curl: string;
  python: string;
  typescript: string;
}

/** The OpenAI-compatible base URL (`…/v1`) for the public base URL of the proxy. */
export function openAiBaseUrl(publicBaseUrl: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return /\/v1$/.test(base) ? base : `${base}/v1`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Builds the snippets. Only `env` carries the secret; the others read
 * `OPENAI_API_KEY`, so pasting them into a repository never leaks it.
 */
export function buildSnippets(input: {
  secret: string;
  publicBaseUrl: string;
  model: string;
}): Snippets {
  const baseUrl = openAiBaseUrl(input.publicBaseUrl);
  const model = JSON.stringify(input.model);
  const body = JSON.stringify({
    model: input.model,
    messages: [{ role: 'user', content: 'Hello!' }],
  });
  return {
    env: [
      `export OPENAI_API_KEY=${shellQuote(input.secret)}`,
      `export OPENAI_BASE_URL=${shellQuote(baseUrl)}`,
    ].join('\n'),
    curl: [
      `curl "$OPENAI_BASE_URL/chat/completions" \\`,
      `  -H "Authorization: Bearer $OPENAI_API_KEY" \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d ${shellQuote(body)}`,
    ].join('\n'),
    python: [
      'import os',
      'from openai import OpenAI',
      '',
      'client = OpenAI(',
      '    api_key=os.environ["OPENAI_API_KEY"],',
      `    base_url=${JSON.stringify(baseUrl)},`,
      ')',
      'response = client.chat.completions.create(',
      `    model=${model},`,
      '    messages=[{"role": "user", "content": "Hello!"}],',
      ')',
      'print(response.choices[0].message.content)',
    ].join('\n'),
    typescript: [
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
