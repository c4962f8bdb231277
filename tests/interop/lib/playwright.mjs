// Debian's Chromium, headless, driven through Playwright (npm playwright-core, which never
// downloads a browser: `playwright install` is never run; the browser is /usr/bin/chromium, or
// IDM_CHROMIUM). Helpers for idm's login pages; the redirect URI server is in callback.mjs.
import { chromium } from 'playwright-core';

export { startCallbackServer } from './callback.mjs';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.IDM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu',
      '--disable-dev-shm-usage', '--no-first-run'],
  });
}

// A fresh context (its own cookies: no SSO session) and a page in it.
export async function newPage(browser) {
  const context = await browser.newContext();
  return context.newPage();
}

// Clicks `selector` (a submit button, or a button whose script submits a form) and waits until
// the page it leads to has loaded.
export async function clickAndWait(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// Fills idm's login page and submits it; waits for the next page to load.
export async function submitLogin(page, { username, password }) {
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await clickAndWait(page, 'form:has(input[name="password"]) button[type="submit"]');
}

// Approves idm's consent page when it is the current page; returns whether it was.
export async function approveConsentIfShown(page) {
  const approve = page.locator('button[name="decision"][value="approve"]');
  if ((await approve.count()) === 0) return false;
  await clickAndWait(page, 'button[name="decision"][value="approve"]');
  return true;
}

export async function bodyText(page) {
  return page.locator('body').innerText();
}
