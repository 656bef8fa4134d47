// Scripted browser benchmark: cold first load of the SPA in headless Chromium.
// Measures, over N fresh browser contexts (empty cache): time from navigation start until the
// sign-in page's h1 is rendered (wasm downloaded, compiled, mounted, session checked), and the
// bytes on the wire. The network is emulated (Chrome DevTools Protocol) as a broadband link —
// 20 Mbit/s down, 5 Mbit/s up, 40 ms round trip — because on loopback transfer is free and
// compression would only show its CPU cost. NETWORK=none measures raw loopback.
// Usage: node bench/load.mjs http://127.0.0.1:8080 [runs]
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const runs = Number(process.argv[3] ?? 15);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (process.env.NETWORK !== 'none') {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 40, downloadThroughput: (20 * 1024 * 1024) / 8, uploadThroughput: (5 * 1024 * 1024) / 8,
    });
  }
  let transferred = 0;
  cdp.on('Network.loadingFinished', (e) => { transferred += e.encodedDataLength; });
  await page.goto(`${base}/sign-in`);
  await page.getByRole('heading', { level: 1, name: 'Sign in to QPP' }).waitFor();
  const ms = await page.evaluate(() => performance.now());
  times.push(ms);
  bytes = transferred;
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p90 = times[Math.floor(times.length * 0.9)];
console.log(JSON.stringify({ network: process.env.NETWORK === 'none' ? 'loopback' : '20 Mbit/s, 40 ms RTT', runs, medianMsToFirstH1: Math.round(median), p90Ms: Math.round(p90), minMs: Math.round(times[0]), bytesOnTheWire: bytes }, null, 2));
