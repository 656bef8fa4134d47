// A small HTTP client for the load and hostile-input suites: one fresh connection per request
// (so a burst of N is N connections at the server), JSON in and out, and the server's memory
// read from /proc.
import http from 'node:http';
import { readFileSync } from 'node:fs';

/** One request; resolves { status, headers, body (parsed JSON or text), ms }. Never rejects. */
export function request(base, method, path, { headers = {}, body, timeoutMs = 120_000 } = {}) {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(url, {
      method,
      agent: false,
      headers: {
        Origin: base,
        ...(payload !== undefined && !headers['Content-Type'] ? { 'Content-Type': 'application/json' } : {}),
        ...(payload !== undefined ? { 'Content-Length': Buffer.byteLength(payload) } : {}),
        ...headers,
      },
      timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed, ms: performance.now() - started });
      });
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (e) => resolve({ status: 0, error: e.message, ms: performance.now() - started }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Signs in and returns { cookie, csrf }. */
export async function signIn(base, userId, password) {
  const r = await request(base, 'POST', '/api/session', { body: { userId, password, agreeStatementOfTruth: true } });
  if (r.status !== 200) throw new Error(`sign-in as ${userId}: ${r.status} ${JSON.stringify(r.body)}`);
  const cookie = String(r.headers['set-cookie']).split(';')[0];
  return { cookie, csrf: r.body.csrfToken };
}

/** The demo registry's API token, made by its Security Official. */
export async function registryToken(base) {
  const s = await signIn(base, 'demo-registry', 'demo-password-1');
  const r = await request(base, 'POST', '/api/registries/QR-0067/api-token', { headers: { Cookie: s.cookie, 'x-csrf-token': s.csrf } });
  if (r.status !== 201) throw new Error(`api token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** The network's i-th clinician's NPI, as src/server/seed.rs makes it (Luhn with the 80840 prefix). */
export function networkNpi(i) {
  const base = `17${String(i).padStart(7, '0')}`;
  const digits = `80840${base}`;
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return base + String((10 - (sum % 10)) % 10);
}

/** Peak and current resident memory of a process, in MB (VmHWM, VmRSS). */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))[1]);
  return { peakMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
