// Hostile input against a running release server: slow clients, huge User IDs, NUL bytes, DTDs
// in QRDA III, concurrent large bodies, an oversized body. Asserts the answers and the server's
// peak memory from /proc (LOAD_PIDS), and prints the figures for the README.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { request, registryToken, memory } from './client.mjs';

const BASE = (process.env.LOAD_BASES ?? 'http://127.0.0.1:8080').split(',')[0];
const PID = (process.env.LOAD_PIDS ?? '').split(',').filter(Boolean)[0];
const url = new URL(BASE);
/** Peak memory the server may reach under this suite (MB): the body budget (320 MB) plus the
 * validator's work on two 60 MB files at once, plus the demo network; measured 388 MB. */
const PEAK_BOUND_MB = 800;

/** Opens a connection, writes `chunks` and then nothing; resolves with how long until the server closed it. */
function holdOpen(text, limitMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (d) => { answer += d.toString(); });
    const timer = setTimeout(() => { socket.destroy(); resolve({ closedAfterMs: null, answer }); }, limitMs);
    socket.on('close', () => { clearTimeout(timer); resolve({ closedAfterMs: performance.now() - started, answer }); });
    socket.on('error', () => {});
  });
}

test('a client that never finishes its headers is dropped', async () => {
  const r = await holdOpen(`POST /api/session HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n`, 40_000);
  assert.ok(r.closedAfterMs !== null && r.closedAfterMs < 15_000, `closed after ${r.closedAfterMs} ms`);
  console.log(`HOSTILE ${JSON.stringify({ case: 'headers never finished', closedAfterMs: Math.round(r.closedAfterMs) })}`);
});

test('a client that sends 1 of 1,000 body bytes is answered and dropped', async () => {
  const r = await holdOpen(`POST /api/session HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${BASE}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`, 40_000);
  assert.ok(r.closedAfterMs !== null && r.closedAfterMs < 30_000, `closed after ${r.closedAfterMs} ms`);
  assert.match(r.answer, /^HTTP\/1\.1 4\d\d/, r.answer.slice(0, 200));
  console.log(`HOSTILE ${JSON.stringify({ case: 'body stalled', closedAfterMs: Math.round(r.closedAfterMs), status: r.answer.slice(9, 12) })}`);
});

test('huge and NUL User IDs are refused in words and grow nothing', async () => {
  const before = PID ? memory(PID) : null;
  const huge = 'x'.repeat(2 * 1024 * 1024 - 200);
  for (let i = 0; i < 60; i++) {
    const r = await request(BASE, 'POST', '/api/session', { body: { userId: huge + i, password: 'nope', agreeStatementOfTruth: true } });
    assert.ok([413, 422].includes(r.status), `${r.status}`);
    assert.ok(['PayloadTooLarge', 'InvalidUserId'].includes(r.body.error.type), JSON.stringify(r.body).slice(0, 200));
  }
  const long = await request(BASE, 'POST', '/api/session', { body: { userId: 'x'.repeat(10_000), password: 'nope', agreeStatementOfTruth: true } });
  assert.equal(long.status, 422);
  assert.equal(long.body.error.type, 'InvalidUserId');
  const nul = await request(BASE, 'POST', '/api/session', { body: { userId: 'demo-\u0000practice', password: 'nope', agreeStatementOfTruth: true } });
  assert.equal(nul.status, 422);
  assert.match(nul.body.error.message, /NUL/);
  if (PID) {
    const after = memory(PID);
    assert.ok(after.rssMb - before.rssMb < 100, `RSS grew ${after.rssMb - before.rssMb} MB`);
    console.log(`HOSTILE ${JSON.stringify({ case: '60 × 2 MB sign-ins', rssBeforeMb: before.rssMb, rssAfterMb: after.rssMb })}`);
  }
});

test('QRDA III with a DOCTYPE (billion laughs, external entity) is refused, and nothing stored', async () => {
  const token = await registryToken(BASE);
  const y = (await request(BASE, 'GET', '/api/performance-years')).body.defaultYear;
  for (const dtd of [
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  ]) {
    const xml = `<?xml version="1.0"?>\n${dtd}\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol2;</title></ClinicalDocument>`;
    const boundary = 'hostile-boundary';
    const manifest = JSON.stringify({ performanceYear: y, elections: [] });
    const body = Buffer.from([
      `--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\nContent-Type: application/json\r\n\r\n${manifest}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="laughs.xml"\r\nContent-Type: application/xml\r\n\r\n${xml}\r\n`,
      `--${boundary}--\r\n`,
    ].join(''));
    const r = await request(BASE, 'POST', '/api/registries/QR-0067/uploads', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body,
    });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.match(JSON.stringify(r.body), /DOCTYPE/);
  }
});

test('eight concurrent 60 MB validations: answered (never a 500), memory bounded', async () => {
  const item = JSON.stringify({ entityType: 'individual', taxpayerIdentificationNumber: '000123456', nationalProviderIdentifier: '1234567893', performanceYear: 2025, measurementSets: [] });
  const count = Math.floor((60 * 1024 * 1024) / (item.length + 1));
  const big = `[${Array(count).fill(item).join(',')}]`;
  const answers = await Promise.all(Array.from({ length: 8 }, () => request(BASE, 'POST', '/api/qpp/validate', { body: big, timeoutMs: 300_000 })));
  const statuses = answers.map((a) => a.status);
  assert.ok(statuses.every((s) => [200, 422, 503].includes(s)), `statuses ${statuses}`);
  assert.ok(answers.filter((a) => a.status === 503).every((a) => a.headers['retry-after']), 'a 503 says when to retry');
  const over = await request(BASE, 'POST', '/api/qpp/validate', { body: big + ' '.repeat(5 * 1024 * 1024), timeoutMs: 120_000 });
  assert.equal(over.status, 413, 'a 65 MB body is answered 413 after it was read and dropped, not reset');
  if (PID) {
    const m = memory(PID);
    assert.ok(m.peakMb < PEAK_BOUND_MB, `peak RSS ${m.peakMb} MB`);
    console.log(`HOSTILE ${JSON.stringify({ case: '8 × 60 MB validations', statuses, peakRssMb: m.peakMb, boundMb: PEAK_BOUND_MB })}`);
  }
});
