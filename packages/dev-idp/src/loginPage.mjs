// The provider's login form. In development (`showUsers`) it lists who exists and their
// passwords, so nobody has to look them up.

const escape = value =>
  String(value).replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]),
  );

/**
 * @param {{ action: string, users: import('./users.mjs').DevUser[], showUsers: boolean,
 *   username?: string, error?: string }} page
 */
export function renderLoginPage({ action, users, showUsers, username, error }) {
  const rows = users
    .map(
      u =>
        `<tr><td>${escape(u.username)}</td><td><code>${escape(
          u.password,
        )}</code></td><td>${escape(u.email)}</td><td>${escape(
          u.role,
        )}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>LiteMaaS development sign-in</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin-top: 1rem; }
  input { display: block; padding: .4rem; width: 18rem; }
  button { margin-top: 1rem; padding: .5rem 1.5rem; }
  .error { color: #a30000; font-weight: bold; }
  table { border-collapse: collapse; margin-top: 1rem; }
  td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
</style>
</head>
<body>
<main>
<h1>LiteMaaS development sign-in</h1>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="${escape(action)}">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required value="${escape(
    username ?? '',
  )}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
${
  showUsers
    ? `<section aria-labelledby="dev-users">
<h2 id="dev-users">Development users</h2>
<p>This provider is for development only. These people exist:</p>
<table>
<thead><tr><th>Username</th><th>Password</th><th>E-mail</th><th>Who</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`
    : ''
}
</main>
</body>
</html>
`;
}
