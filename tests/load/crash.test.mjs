// Crash test: the release server is killed with SIGKILL while elections stream in, several
// rounds on one database; after each restart every acknowledged (201) election is there, with
// its choice. (That an interrupted upload stores nothing is the transaction's, tested in
// tests/api/registry_uploads.rs with a fault injected mid-upload.)
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

async function start() {
  const child = spawn(BIN, ['--demo'], {
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: DB, RUST_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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
  let next = 1000;
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
    // Stream elections, 20 in flight, and kill the server after a moment.
    let stop = false;
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
    await Promise.all(streams);
    await new Promise((res) => server.on('exit', res));
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
  server.kill('SIGTERM');
  await new Promise((res) => server.on('exit', res));
  console.log(`CRASH ${JSON.stringify({ rounds: ROUNDS, acknowledged: acknowledged.size, lost: 0 })}`);
  assert.ok(acknowledged.size > 0, 'some elections were acknowledged before each kill');
});
