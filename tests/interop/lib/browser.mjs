// Debian's Chromium, headless, driven through puppeteer-core (which never downloads a browser),
// and a small HTTP server standing in for a relying party's redirect URI.
import http from 'node:http';
import puppeteer from 'puppeteer-core';

export async function launchBrowser() {
  return puppeteer.launch({
    executablePath: process.env.IDM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu',
      '--disable-dev-shm-usage', '--no-first-run'],
  });
}

// Fills idm's login page and submits it; waits for the next page to load.
export async function submitLogin(page, { username, password }) {
  await page.waitForSelector('input[name="username"]');
  await page.type('input[name="username"]', username);
  await page.type('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
}

// Approves idm's consent page when it is the current page; returns whether it was.
export async function approveConsentIfShown(page) {
  const approve = await page.$('button[name="decision"][value="approve"]');
  if (!approve) return false;
  await Promise.all([page.waitForNavigation(), approve.click()]);
  return true;
}

// A loopback redirect URI (RFC 8252 §7.3): every request to it is recorded and answered with a
// small page. next() resolves with the next request's full URL (and body, for form_post).
export async function startCallbackServer() {
  const waiting = [];
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const hit = { method: req.method, url: new URL(req.url, `http://${req.headers.host}`), body };
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>callback</title><p>callback received</p>');
      if (hit.url.pathname === '/favicon.ico') return;
      const w = waiting.shift();
      if (w) w(hit); else received.push(hit);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: (p = '/callback') => `http://127.0.0.1:${port}${p}`,
    next: (timeoutMs = 30000) => new Promise((resolve, reject) => {
      const r = received.shift();
      if (r) return resolve(r);
      const t = setTimeout(() => reject(new Error('no request reached the callback')), timeoutMs);
      waiting.push((hit) => { clearTimeout(t); resolve(hit); });
    }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
