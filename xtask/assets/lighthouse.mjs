// Lighthouse accessibility and best-practices scores of Siteline's main pages, signed in.
// Run by `cargo xtask bench --only lighthouse` from .tools/npm (where lighthouse is installed):
//   node lighthouse.mjs <base url> <username> <password> <chromium> <out.json>
// One Chromium for all pages: puppeteer signs in (the token lives in localStorage), then
// Lighthouse audits each page in that browser without resetting storage.
import fs from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';

const [base, username, password, chromePath, out] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy() {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch (_) { /* not up yet */ }
    await sleep(100);
  }
  throw new Error('the server did not start');
}

await waitHealthy();
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const results = [];
async function audit(name, path) {
  const runner = await lighthouse(`${base}${path}`, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['accessibility', 'best-practices'],
    disableStorageReset: true,
    formFactor: 'desktop',
    screenEmulation: { mobile: false, width: 1280, height: 800, deviceScaleFactor: 1, disabled: false },
    throttlingMethod: 'provided',
  });
  const c = runner.lhr.categories;
  const failed = (cat) => cat.auditRefs
    .filter((r) => r.weight > 0)
    .map((r) => runner.lhr.audits[r.id])
    .filter((a) => a && a.score !== null && a.score < 1)
    .map((a) => a.id);
  const r = {
    page: name,
    path,
    accessibility: Math.round(c.accessibility.score * 100),
    best_practices: Math.round(c['best-practices'].score * 100),
    failed: [...failed(c.accessibility), ...failed(c['best-practices'])],
  };
  results.push(r);
  console.log(`${name.padEnd(8)} accessibility ${r.accessibility}  best-practices ${r.best_practices}  ${r.failed.join(' ')}`);
}
try {
  // Signed out first: the login page as a new user sees it.
  await audit('login', '/login');
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  const page = await browser.newPage();
  await page.goto(`${base}/login`, { waitUntil: 'networkidle0' });
  await page.type('[name="username"]', username);
  await page.type('[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="pending-count"]');
  // A complaint to open: entered like a user would (a place and a category from the chips).
  await page.goto(`${base}/new`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('[data-testid="site-tree"] button');
  await page.click('[data-testid="site-tree"] button');
  await page.click('[data-field="category"] [data-top="facility"]');
  await page.waitForSelector('[data-field="category"] .subs [role="radio"]');
  await page.click('[data-field="category"] .subs [role="radio"]');
  await page.type('[name="description"]', '电梯按钮失灵，Lighthouse 测试投诉');
  await page.click('[data-testid="save-complaint"]');
  await page.waitForSelector('[data-testid="complaint-detail"]');
  const detail = new URL(page.url()).pathname;
  await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
  await page.close();
  for (const [name, path] of [
    ['list', '/'], ['intake', '/new'], ['detail', detail], ['board', '/board'],
    ['reports', '/reports'], ['status', '/status'],
  ]) {
    await audit(name, path);
  }
  browser.disconnect();
} finally {
  await chrome.kill();
}
fs.writeFileSync(out, JSON.stringify({ pages: results }, null, 2));
