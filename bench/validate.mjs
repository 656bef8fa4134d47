// Scripted browser benchmark of QPP JSON validation, one run in headless Chromium on one file
// (default: 10,000 participants, about 50 MB, made by `cargo run --release --example gen_qpp`).
// Compares, on the same bytes:
//   1. our Web Worker (public/qpp-worker.js + the app's wasm): read the File, validate every
//      rule, build the report — the time from posting the file to the report arriving;
//   2. JSON.parse alone (the browser's native parser; UTF-8 decoding timed separately);
//   3. JSON.parse + ajv (allErrors) with the structural schema bench/qpp-submission.schema.json.
// and records the longest main-thread task while the worker validates (PerformanceObserver
// "longtask"). Each measurement: one warm-up, then the median of 3.
// Usage: node bench/validate.mjs http://127.0.0.1:8080 bench/artifacts/registry-10000.json
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const path = process.argv[3] ?? 'bench/artifacts/registry-10000.json';
const body = readFileSync(path);
const schema = JSON.parse(readFileSync(new URL('./qpp-submission.schema.json', import.meta.url)));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// The service worker would answer the injected file's request itself: keep it out of the run.
const context = await browser.newContext({ serviceWorkers: 'block' });
const page = await context.newPage();
await page.route('**/bench-input.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
await page.goto(`${base}/validate`);
await page.getByRole('heading', { level: 1, name: 'Validate a file' }).waitFor();
// Through the DevTools protocol: the page's Content-Security-Policy refuses injected inline scripts.
await page.evaluate(readFileSync(require.resolve('ajv-dist/dist/ajv7.min.js'), 'utf8'));

const result = await page.evaluate(async (schema) => {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const buf = await (await fetch('/bench-input.json')).arrayBuffer();
  const file = new File([buf], 'bench-input.json', { type: 'application/json' });
  const glue = document.querySelector('link[rel=modulepreload]').getAttribute('href');
  const wasm = document.querySelector('link[rel=preload][as=fetch]').getAttribute('href');
  const worker = new Worker('/qpp-worker.js', { type: 'module' });
  let id = 1000;
  const viaWorker = () => new Promise((resolve, reject) => {
    const myId = ++id;
    const t0 = performance.now();
    worker.onmessage = (e) => {
      if (e.data.id !== myId) return;
      if (e.data.type === 'done') resolve({ ms: performance.now() - t0, report: JSON.parse(e.data.report) });
      if (e.data.type === 'failed') reject(new Error(e.data.message));
    };
    worker.postMessage({ id: myId, glue, wasm, file });
  });
  const longTasks = [];
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
  const time = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };

  await viaWorker(); // warm-up: worker start, wasm compile, catalogue fetch
  const workerRuns = [];
  let report;
  observer.observe({ type: 'longtask' });
  for (let i = 0; i < 3; i++) { const r = await viaWorker(); workerRuns.push(r.ms); report = r.report; }
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  worker.terminate();

  const decodeRuns = [], parseRuns = [], ajvRuns = [];
  let text;
  for (let i = 0; i < 4; i++) decodeRuns.push(time(() => { text = new TextDecoder().decode(buf); }));
  for (let i = 0; i < 4; i++) parseRuns.push(time(() => JSON.parse(text)));
  const ajv = new window.ajv7({ allErrors: true });
  const check = ajv.compile(schema);
  let valid;
  for (let i = 0; i < 4; i++) ajvRuns.push(time(() => { valid = check(JSON.parse(text)); }));
  return {
    bytes: buf.byteLength,
    participants: report.submissions.length,
    errors: report.errors,
    warnings: report.warnings,
    worker: median(workerRuns.slice(0)),
    decode: median(decodeRuns.slice(1)),
    parse: median(parseRuns.slice(1)),
    parseAjv: median(ajvRuns.slice(1)),
    ajvValid: valid,
    longestTask: longTasks.length ? Math.max(...longTasks) : 0,
    longTasks: longTasks.length,
  };
}, schema);
await browser.close();

const r = result;
const mb = r.bytes / (1024 * 1024);
const f = (ms) => `${ms.toFixed(0)} ms`;
console.log(`file: ${mb.toFixed(1)} MB, ${r.participants} participants (${r.errors} errors, ${r.warnings} warnings); ajv says valid: ${r.ajvValid}`);
console.log(`worker (read + all rules + report): ${f(r.worker)}  (${(mb / (r.worker / 1000)).toFixed(1)} MB/s)`);
console.log(`JSON.parse alone:                   ${f(r.parse)}  (+ ${f(r.decode)} UTF-8 decode)`);
console.log(`JSON.parse + ajv:                   ${f(r.parseAjv)}`);
console.log(`ratios: worker / JSON.parse = ${(r.worker / r.parse).toFixed(2)}; worker / (decode + JSON.parse) = ${(r.worker / (r.decode + r.parse)).toFixed(2)}; worker / (JSON.parse + ajv) = ${(r.worker / r.parseAjv).toFixed(2)}`);
console.log(`main thread during validation: ${r.longTasks} long tasks (> 50 ms), longest ${f(r.longestTask)}`);
