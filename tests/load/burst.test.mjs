// The burst of issue 12, against a running release server (or two on one PostgreSQL): 1,000
// concurrent registry elections for 100 network clinicians with mixed choices, and 200
// concurrent practice elections. Asserts the counts, never the times: no 5xx, exactly one
// election each, a same-choice answer is a 201 or a replay, another choice a 409 naming the
// stored election. Prints requests, p99 and the servers' peak memory for the README.
// LOAD_BASES=http://127.0.0.1:8080[,http://127.0.0.1:8081] LOAD_PIDS=pid[,pid] node --test tests/load/
import test from 'node:test';
import assert from 'node:assert/strict';
import { request, signIn, registryToken, networkNpi, memory, percentile } from './client.mjs';

const BASES = (process.env.LOAD_BASES ?? 'http://127.0.0.1:8080').split(',');
const PIDS = (process.env.LOAD_PIDS ?? '').split(',').filter(Boolean);
const LABEL = process.env.LOAD_LABEL ?? 'server';
const base = (i) => BASES[i % BASES.length];

async function year() {
  const r = await request(BASES[0], 'GET', '/api/performance-years');
  return r.body.defaultYear;
}

/** Every answer checked against the stored choice of its participant. */
function checkAnswers(answers, participants) {
  const fives = answers.filter((a) => a.status >= 500 || a.status === 0);
  assert.deepEqual(fives.map((a) => `${a.status} ${a.error ?? JSON.stringify(a.body)}`), [], 'no 5xx and no dropped connection');
  for (const p of participants) {
    const mine = answers.filter((a) => a.participant === p);
    const created = mine.filter((a) => a.status === 201);
    assert.equal(created.length, 1, `${p}: exactly one answer made the election`);
    const stored = created[0].choice;
    for (const a of mine) {
      if (a.choice === stored) {
        assert.ok(a.status === 201 || a.status === 200, `${p} ${a.choice}: ${a.status} ${JSON.stringify(a.body)}`);
      } else {
        assert.equal(a.status, 409, `${p} ${a.choice}: ${a.status} ${JSON.stringify(a.body)}`);
        assert.equal(a.body.error.type, 'ElectionAlreadyMade');
        // It names the stored election.
        const label = { OPT_IN: 'Opt-In', VOLUNTARY: 'Report Voluntarily' }[stored];
        assert.ok(a.body.error.message.includes(label), `${p}: ${a.body.error.message} names ${label}`);
      }
    }
  }
}

function report(name, answers) {
  const ms = answers.map((a) => a.ms);
  const line = {
    suite: LABEL, burst: name, requests: answers.length, servers: BASES.length,
    p50Ms: Math.round(percentile(ms, 0.5)), p99Ms: Math.round(percentile(ms, 0.99)), maxMs: Math.round(Math.max(...ms)),
    statuses: Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, answers.filter((a) => a.status === s).length])),
    memory: PIDS.map((pid) => memory(pid)),
  };
  console.log(`LOAD ${JSON.stringify(line)}`);
}

test('1,000 concurrent registry elections: one each, replays and 409s by choice, no 5xx', async () => {
  const y = await year();
  const token = await registryToken(BASES[0]);
  const answers = await Promise.all(Array.from({ length: 1000 }, async (_, i) => {
    const participant = networkNpi(i % 100);
    const choice = Math.floor(i / 100) % 2 === 0 ? 'OPT_IN' : 'VOLUNTARY';
    const body = { performanceYear: y, confirmation: 'CONFIRM', elections: [{ tin: '207000077', npi: participant, election: choice }] };
    const r = await request(base(i), 'POST', '/api/registries/QR-0067/elections', { headers: { Authorization: `Bearer ${token}` }, body });
    return { ...r, participant, choice };
  }));
  report('registry elections', answers);
  checkAnswers(answers, Array.from({ length: 100 }, (_, i) => networkNpi(i)));
});

test('200 concurrent practice elections: the same rules on /api/elections', async () => {
  const y = await year();
  const sessions = await Promise.all(BASES.map((b) => signIn(b, 'demo-practice', 'demo-password-1')));
  const tins = ['103000013', '104000093'];
  const answers = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const participant = tins[i % 2];
    const choice = Math.floor(i / 2) % 2 === 0 ? 'OPT_IN' : 'VOLUNTARY';
    const s = sessions[i % BASES.length];
    const r = await request(base(i), 'POST', '/api/elections', {
      headers: { Cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: { performanceYear: y, tin: participant, election: choice, confirmation: 'CONFIRM' },
    });
    return { ...r, participant, choice };
  }));
  report('practice elections', answers);
  checkAnswers(answers, tins);
});

test('sign-in counters are shared by every instance', { skip: BASES.length < 2 }, async () => {
  const attempt = (b) => request(b, 'POST', '/api/session', { body: { userId: 'demo-registry-staff', password: 'wrong', agreeStatementOfTruth: true } });
  const first = [];
  for (let i = 0; i < 5; i++) first.push((await attempt(base(i))).status);
  assert.deepEqual(first, [401, 401, 401, 401, 401]);
  for (const b of BASES) assert.equal((await attempt(b)).status, 429, `${b} knows the other instance's failures`);
});
