// Debian's Chromium, headless, driven through puppeteer-core (which never downloads a browser),
// and a small HTTP server standing in for a relying party's redirect URI.
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

// The loopback redirect URI server lives in callback.mjs (shared with the Playwright helpers).
export { startCallbackServer } from './callback.mjs';
