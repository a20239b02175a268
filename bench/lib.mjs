// Shared helpers of the benchmarks: child processes (emulator, backend), a keep-alive HTTP
// client that only talks to 127.0.0.1, a bounded closed-loop load runner and percentiles.
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * One HTTP request to 127.0.0.1; resolves with status and text. A request on a kept-alive
 * connection that the server closed as idle just before (ECONNRESET on a reused socket,
 * nothing of it processed) is sent again once on a new connection, as browsers do.
 */
export async function request(base, method, p, options) {
  try {
    return await requestOnce(base, method, p, options);
  } catch (error) {
    if (error.code !== 'ECONNRESET' || !error.reusedSocket) throw error;
    return requestOnce(base, method, p, options);
  }
}

function requestOnce(base, method, p, { body, headers = {} } = {}) {
  const url = new URL(p, base);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error('benchmarks only talk to this machine');
  }
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(data
            ? {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(data),
              }
            : {}),
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', error => {
      error.reusedSocket = req.reusedSocket;
      reject(error);
    });
    req.end(data);
  });
}

export async function json(base, method, p, options) {
  const r = await request(base, method, p, options);
  let parsed;
  try {
    parsed = JSON.parse(r.text);
  } catch {
    parsed = r.text;
  }
  return { status: r.status, body: parsed };
}

export function percentiles(samples) {
  const s = Float64Array.from(samples).sort();
  const at = q =>
    s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: s.length ? s[s.length - 1] : NaN,
    n: s.length,
  };
}

/**
 * Runs `fn` from `concurrency` clients until `requests` calls were made or `seconds`
 * passed; returns the latencies (ms), the error count and the wall time.
 */
export async function closedLoop({ concurrency, requests, seconds, fn }) {
  const latencies = [];
  let sent = 0;
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests && Date.now() < deadline) {
        sent++;
        const start = process.hrtime.bigint();
        const ok = await fn().catch(() => false);
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (!ok) errors++;
      }
    }),
  );
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { latencies, errors, wallSeconds, ...percentiles(latencies) };
}

/**
 * GET `path` from `url` in a {@link closedLoop}, counting any answer but 200 as an error;
 * throws if there was one (warm-ups pass `allowErrors`).
 */
export async function closedLoopGet({
  url,
  path: p,
  headers,
  concurrency,
  requests,
  seconds,
  allowErrors = false,
}) {
  const r = await closedLoop({
    concurrency,
    requests,
    seconds,
    fn: async () => (await request(url, 'GET', p, { headers })).status === 200,
  });
  if (r.errors && !allowErrors) {
    throw new Error(`GET ${p}: ${r.errors} requests failed`);
  }
  return r;
}

/**
 * Starts a TypeScript entry point with Backstage's node transform (a built one without,
 * `transform: false`) in its own process group; resolves once `ready()` answers true.
 */
export async function startProcess({
  name,
  args,
  env = {},
  ready,
  cwd = repoRoot,
  timeoutMs = 120_000,
  transform = true,
}) {
  const child = spawn(
    process.execPath,
    [
      ...(transform
        ? ['--require', '@backstage/cli/config/nodeTransform.cjs']
        : []),
      ...args,
    ],
    {
      cwd,
      detached: true,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The first and the last 20 000 characters: why a start failed is often said early
  // (configuration, migrations), and what happened last is at the end.
  let head = '';
  let tail = '';
  let dropped = false;
  const keep = d => {
    const text = d.toString();
    const room = 20_000 - head.length;
    head += text.slice(0, room);
    if (text.length <= room) return;
    const joined = tail + text.slice(room);
    dropped ||= joined.length > 20_000;
    tail = joined.slice(-20_000);
  };
  const output = () => (dropped ? `${head}\n[...]\n${tail}` : `${head}${tail}`);
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (process.env.BENCH_LOG_DIR) {
    const log = createWriteStream(
      path.join(process.env.BENCH_LOG_DIR, `${name}-${child.pid}.log`),
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = `status ${code ?? signal}`;
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited)
      throw new Error(`${name} exited early (${exited}):\n${output()}`);
    if (Date.now() > deadline) {
      stop();
      throw new Error(`${name} did not become ready:\n${output()}`);
    }
    if (await ready().catch(() => false)) break;
    await new Promise(r => setTimeout(r, 500));
  }
  return { child, stop, output };
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it), for a child process to listen on. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in MB (Linux /proc), NaN when it cannot be read. */
export function rssMB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/** A positive number from the environment variable `name`, else `def`; at most `max`. */
export function envNumber(name, def, max = Infinity) {
  const v = Number(process.env[name]);
  return Math.min(Number.isFinite(v) && v > 0 ? v : def, max);
}

export const fmt = n => (Number.isFinite(n) ? n.toFixed(2) : String(n));

/** Signs the guest in once the catalog lists them (the bench config makes them admin). */
export async function signInAsGuest(backendUrl) {
  const token = async () => ({
    authorization: `Bearer ${
      (await json(backendUrl, 'GET', '/api/auth/guest/refresh')).body
        .backstageIdentity.token
    }`,
  });
  let headers = await token();
  for (let i = 0; ; i++) {
    const me = await json(
      backendUrl,
      'GET',
      '/api/catalog/entities/by-name/user/default/guest',
      { headers },
    );
    if (me.status === 200) break;
    if (i > 240) throw new Error('the catalog never listed the guest user');
    await new Promise(r => setTimeout(r, 500));
  }
  headers = await token();
  return headers;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds all PostgreSQL processes of this machine have used so far: the live ones,
 * and through their parent (the postmaster's reaped children) the connections that ended.
 */
export function postgresCpuSeconds() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    if (!stat.includes('(postgres)')) continue;
    const f = stat.replace(/^.*\) /, '').split(' ');
    // utime, stime, cutime and cstime: fields 14 to 17 of stat(5).
    total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return total / 100;
}

/**
 * The last report of bench/gc-observer.cjs in `file` (collections, memory), or undefined
 * while it is not written yet or being rewritten (every 100 ms).
 */
export function gcReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
