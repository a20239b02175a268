// A minimal cookie-keeping, redirect-following HTTP client: enough to walk an OpenID
// Connect sign-in the way a browser does, without a browser.

/** Cookies per host name, as a browser keeps them (ports share a host's cookies). */
export class CookieJar {
  #byHost = new Map();

  header(url) {
    const cookies = this.#byHost.get(new URL(url).hostname);
    return cookies
      ? [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
      : '';
  }

  store(url, response) {
    const host = new URL(url).hostname;
    const cookies = this.#byHost.get(host) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
        cookies.delete(name);
      } else {
        cookies.set(name, value);
      }
    }
    this.#byHost.set(host, cookies);
  }
}

/** Fetches `url` and follows redirects by hand, keeping cookies; returns the last page. */
export async function browse(jar, url, init = {}) {
  let current = url;
  let request = init;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(current, {
      ...request,
      redirect: 'manual',
      headers: { ...request.headers, cookie: jar.header(current) },
    });
    jar.store(current, response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      return { url: current, response, body: await response.text() };
    }
    await response.arrayBuffer();
    current = new URL(location, current).href;
    request = {};
  }
  throw new Error(`Too many redirects signing in (last: ${current})`);
}
