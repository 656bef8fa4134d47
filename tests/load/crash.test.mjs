// Crash test: the release server is killed with SIGKILL while elections stream in, several
// rounds on one database; after each restart every acknowledged (201) election is there, with
// its choice, and every upload in flight is whole or absent (both of its participants' data and
// elections, or neither); an acknowledged (201) upload is whole.
// CRASH_BIN=target/release/mips-elections CRASH_DB=sqlite:/tmp/x.db node --test tests/load/crash.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request, registryToken, networkNpi } from './client.mjs';

const BIN = process.env.CRASH_BIN ?? 'target/release/mips-elections';
const DB = process.env.CRASH_DB;
const PORT = Number(process.env.CRASH_PORT ?? 18_555);
const BASE = `http://127.0.0.1:${PORT}`;
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
/** Every server this file started, killed whatever happens. */
const running = new Set();
process.on('exit', () => { for (const c of running) c.kill('SIGKILL'); });
test.after(() => { for (const c of running) c.kill('SIGKILL'); });

/** A registry upload for two network clinicians: an IA set each, and an Opt-In election each. */
function uploadOf(y, a, b) {
  const set = { category: 'ia', submissionMethod: 'registry', performanceStart: `${y}-01-01`, performanceEnd: `${y}-12-31`,
    measurements: [{ measureId: 'IA_PSPA_1', value: true }, { measureId: 'IA_BMH_2', value: true }] };
  const file = JSON.stringify([a, b].map((npi) => ({ entityType: 'individual', taxpayerIdentificationNumber: '207000077',
    nationalProviderIdentifier: npi, performanceYear: y, measurementSets: [set] })));
  const manifest = JSON.stringify({ performanceYear: y, confirmation: 'CONFIRM',
    elections: [a, b].map((npi) => ({ tin: '207000077', npi, election: 'OPT_IN' })) });
  const boundary = 'crash-boundary';
  const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\nContent-Type: application/json\r\n\r\n${manifest}\r\n`
    + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="crash.json"\r\nContent-Type: application/json\r\n\r\n${file}\r\n--${boundary}--\r\n`);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/** The NPIs with stored data and their elections, from Registry Submission Details. */
async function stored(token, y) {
  const r = await request(BASE, 'GET', `/api/registries/QR-0067/submissions?year=${y}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  return new Map(r.body.participants.filter((p) => p.npi).map((p) => [p.npi, p.election]));
}

async function start() {
  const child = spawn(BIN, ['--demo'], {
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: DB, RUST_LOG: 'warn' },
    // Not the test's own stdout/stderr: a server left behind must not hold the runner's pipes.
    stdio: 'ignore',
  });
  running.add(child);
  child.exited = new Promise((res) => child.on('exit', res));
  for (let i = 0; i < 300; i++) {
    const r = await request(BASE, 'GET', '/api/health', { timeoutMs: 1000 });
    if (r.status === 200) return child;
    await new Promise((res) => setTimeout(res, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

test(`SIGKILL mid-stream, ${ROUNDS} rounds: no acknowledged election lost`, { skip: !DB }, async () => {
  const acknowledged = new Map();
  const uploads = [];
  let next = 1000;
  let nextUpload = 9000;
  for (let round = 0; round < ROUNDS; round++) {
    const server = await start();
    const token = await registryToken(BASE);
    const y = (await request(BASE, 'GET', '/api/performance-years')).body.defaultYear;
    // Everything acknowledged before this round is still there, with its choice.
    for (const [npi, choice] of acknowledged) {
      const body = { performanceYear: y, confirmation: 'CONFIRM', elections: [{ tin: '207000077', npi, election: choice }] };
      const r = await request(BASE, 'POST', '/api/registries/QR-0067/elections', { headers: { Authorization: `Bearer ${token}` }, body });
      assert.equal(r.status, 200, `round ${round}: ${npi} was acknowledged as ${choice}; now ${r.status} ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body.recorded, [], 'a replay records nothing');
    }
    // Every upload sent so far is whole or absent; every acknowledged one is whole.
    const data = await stored(token, y);
    for (const u of uploads) {
      const [a, b] = u.npis;
      assert.equal(data.has(a), data.has(b), `round ${round}: upload ${a}+${b} is half stored`);
      if (data.has(a)) assert.ok(data.get(a) === 'OPT_IN' && data.get(b) === 'OPT_IN', 'its elections are stored with its data');
      if (u.acknowledged) assert.ok(data.has(a), `round ${round}: acknowledged upload ${a}+${b} is missing`);
    }
    // Stream elections and uploads, 20 + 4 in flight, and kill the server after a moment.
    let stop = false;
    const uploaders = Array.from({ length: 4 }, async () => {
      while (!stop && nextUpload < 9990) {
        const npis = [networkNpi(nextUpload), networkNpi(nextUpload + 1)];
        nextUpload += 2;
        const u = { npis, acknowledged: false };
        uploads.push(u);
        const { body, type } = uploadOf(y, ...npis);
        const r = await request(BASE, 'POST', '/api/registries/QR-0067/uploads', { headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body, timeoutMs: 5000 });
        if (r.status === 201) u.acknowledged = true;
        else if (r.status !== 0) assert.ok(r.status < 500, `upload: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    });
    const streams = Array.from({ length: 20 }, async () => {
      while (!stop && next < 9000) {
        const npi = networkNpi(next++);
        const choice = next % 2 ? 'OPT_IN' : 'VOLUNTARY';
        const body = { performanceYear: y, confirmation: 'CONFIRM', elections: [{ tin: '207000077', npi, election: choice }] };
        const r = await request(BASE, 'POST', '/api/registries/QR-0067/elections', { headers: { Authorization: `Bearer ${token}` }, body, timeoutMs: 5000 });
        if (r.status === 201) acknowledged.set(npi, choice);
      }
    });
    await new Promise((res) => setTimeout(res, 700 + 300 * round));
    server.kill('SIGKILL');
    stop = true;
    await Promise.all([...streams, ...uploaders]);
    await server.exited;
    running.delete(server);
  }
  const server = await start();
  const token = await registryToken(BASE);
  const y = (await request(BASE, 'GET', '/api/performance-years')).body.defaultYear;
  for (const [npi, choice] of acknowledged) {
    const other = choice === 'OPT_IN' ? 'VOLUNTARY' : 'OPT_IN';
    const body = { performanceYear: y, confirmation: 'CONFIRM', elections: [{ tin: '207000077', npi, election: other }] };
    const r = await request(BASE, 'POST', '/api/registries/QR-0067/elections', { headers: { Authorization: `Bearer ${token}` }, body });
    assert.equal(r.status, 409, `${npi}: the stored election is ${choice}`);
  }
  const data = await stored(token, y);
  for (const u of uploads) assert.equal(data.has(u.npis[0]), data.has(u.npis[1]), 'whole or absent');
  server.kill('SIGTERM');
  await server.exited;
  running.delete(server);
  console.log(`CRASH ${JSON.stringify({ rounds: ROUNDS, acknowledged: acknowledged.size, lost: 0, uploadsSent: uploads.length, uploadsAcknowledged: uploads.filter((u) => u.acknowledged).length, halfStored: 0 })}`);
  assert.ok(acknowledged.size > 0, 'some elections were acknowledged before the kills');
  assert.ok(uploads.some((u) => u.acknowledged), 'some uploads were acknowledged before the kills');
});
