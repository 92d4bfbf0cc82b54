// Shared code of the browser suite: starting a demo server, driving headless Chromium,
// signing in (with the TOTP second factor), and checking every page for accessibility
// (axe, WCAG 2.1 A and AA) and keyboard reachability.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const DEMO_PASSWORD = 'Demo-wachtwoord-Lindeveen-2026';
export const ACCOUNTS = {
  admin: 'beheer@lindeveen.example',
  regisseur: 'regisseur@lindeveen.example',
  lezer: 'lezer@lindeveen.example',
  lid: 'lid@lindeveen.example',
};
export const DEMO_COLLABORATION = 'Samen Opgroeien Lindeveen';

export const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(OUT_DIR, { recursive: true });

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) with a base32 (RFC 4648) secret.

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text.replace(/[\s=-]/g, '').toUpperCase()) {
    const value = BASE32.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${JSON.stringify(text)}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The 6-digit code of time step `counter` (RFC 4226 dynamic truncation). */
export function hotp(secretBase32, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hash = createHmac('sha1', base32Decode(secretBase32)).update(message).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

export const totpStep = (unixMs = Date.now()) => Math.floor(unixMs / 1000 / 30);

/** The current TOTP code of a base32 secret. */
export function totp(secretBase32, unixMs = Date.now()) {
  return hotp(secretBase32, totpStep(unixMs));
}

// A server refuses a code it has seen before (replay). The suite signs in more than once within
// 30 seconds, so it hands out each step at most once, using the next step (which servers accept
// for clock drift) or waiting for a new one.
const lastStepUsed = new Map();
export async function freshTotp(secretBase32) {
  for (;;) {
    const now = totpStep();
    const step = Math.max(now, (lastStepUsed.get(secretBase32) ?? -1) + 1);
    if (step <= now + 1) {
      lastStepUsed.set(secretBase32, step);
      return hotp(secretBase32, step);
    }
    await sleep(1000);
  }
}

const totpSecrets = new Map();

/** The TOTP secret the suite read when it set up the second factor of this account. */
export const totpSecretOf = (email) => totpSecrets.get(email);

// ---------------------------------------------------------------------------------------------
// The server under test.

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `$REISGENOOT_BIN serve --demo` on a free loopback port with a fresh SQLite file. */
export async function startServer(name) {
  const bin = process.env.REISGENOOT_BIN;
  assert.ok(bin, 'REISGENOOT_BIN must point to the reisgenoot binary (see scripts/test)');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'reisgenoot-browser-'));
  const logPath = path.join(OUT_DIR, `server-${name}.log`);
  const log = createWriteStream(logPath);
  let recent = '';
  const child = spawn(bin, ['serve', '--demo', '--bind', `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      REISGENOOT_DATABASE_URL: `sqlite://${dir}/reisgenoot.db`,
      REISGENOOT_DEMO_PASSWORD: DEMO_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    log.write(chunk);
    recent = (recent + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the server stopped before it was ready (${JSON.stringify(exited)}):\n${recent}`);
    }
    try {
      const response = await fetch(`${baseURL}/healthz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`GET /healthz did not answer 200 within 90 s:\n${recent}`);
    }
    await sleep(100);
  }

  return {
    baseURL,
    recentLog: () => recent,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(killer);
      }
      log.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Browser, contexts and pages.

const pageState = new WeakMap();

/** One server and one browser for a test file; `user()` opens a fresh context with one page. */
export async function startSuite(name) {
  const server = await startServer(name);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const contexts = [];
  return {
    baseURL: server.baseURL,
    server,
    browser,
    /** A new browser context (its own cookies) with a single page, in the given language. */
    async user({ lang = 'nl', width = 1280 } = {}) {
      const context = await browser.newContext({
        baseURL: server.baseURL,
        locale: lang === 'en' ? 'en-GB' : 'nl-NL',
        viewport: { width, height: 900 },
      });
      context.setDefaultTimeout(15_000);
      context.setDefaultNavigationTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      const state = { lang, baseURL: server.baseURL, consoleErrors: [], failedResources: [] };
      pageState.set(page, state);
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          state.consoleErrors.push(message.text());
        }
      });
      page.on('pageerror', (error) => state.consoleErrors.push(String(error)));
      page.on('response', (response) => {
        const request = response.request();
        if (request.resourceType() !== 'document' && response.status() >= 400 && !request.url().endsWith('/favicon.ico')) {
          state.failedResources.push(`${response.status()} ${request.url()}`);
        }
      });
      await setLang(page, lang);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}

/** Switches the interface language with the `lang` cookie. */
export async function setLang(page, lang) {
  const state = pageState.get(page);
  await page.context().addCookies([{ name: 'lang', value: lang, url: state.baseURL }]);
  state.lang = lang;
}

/** Tells the checks which language the page should now be in (after the /taal form). */
export function expectLangFromNowOn(page, lang) {
  pageState.get(page).lang = lang;
}

export const pathOf = (page) => new URL(page.url()).pathname;

/** The visible text of the main content, to explain a failure. */
export async function mainText(page, max = 800) {
  const text = await page
    .locator('#main')
    .first()
    .innerText({ timeout: 2000 })
    .catch(() => page.locator('body').innerText({ timeout: 2000 }).catch(() => ''));
  return text.replace(/\s+\n/g, '\n').trim().slice(0, max);
}

/** GET a path; asserts the status of the final response (after redirects). */
export async function goto(page, urlPath, { status = 200 } = {}) {
  const response = await page.goto(urlPath, { waitUntil: 'load' });
  assert.ok(response, `no response for ${urlPath}`);
  if (response.status() !== status) {
    assert.fail(
      `GET ${urlPath} answered ${response.status()} at ${pathOf(page)}, expected ${status}:\n${await mainText(page)}`,
    );
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Checks.

const safeLabel = (label) => label.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');

/**
 * Runs axe (WCAG 2.0/2.1 A and AA) on the page and saves a full-page screenshot as
 * tests/browser/out/<label>.png. Fails with the list of violations.
 */
export async function checkA11y(page, label) {
  await page.screenshot({ path: path.join(OUT_DIR, `${safeLabel(label)}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (results.violations.length > 0) {
    const lines = results.violations.map((violation) => {
      const targets = violation.nodes
        .slice(0, 8)
        .map((node) => `      ${node.target.join(' ')}${node.failureSummary ? `\n        ${node.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)
        .join('\n');
      const more = violation.nodes.length > 8 ? `\n      … and ${violation.nodes.length - 8} more` : '';
      return `  - ${violation.id} (${violation.impact}): ${violation.help}\n${targets}${more}`;
    });
    assert.fail(`axe found ${results.violations.length} violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
}

/**
 * The first Tab press from the top of a freshly loaded page focuses the skip link, which is
 * visible while focused and points to #main; #main exists.
 */
export async function checkSkipLink(page) {
  const problems = [];
  const mains = await page.locator('#main').count();
  if (mains !== 1) problems.push(`expected exactly one #main, found ${mains}`);
  // A refused form puts the focus on its error summary: that, not the skip link, is where
  // the keyboard starts then.
  const onSummary = await page.evaluate(() => {
    const active = document.activeElement;
    const rect = active?.getBoundingClientRect();
    return Boolean(active?.matches('[autofocus][tabindex="-1"]') && rect && rect.height > 1);
  });
  if (onSummary) {
    if ((await page.locator('a[href="#main"]').count()) === 0) problems.push('no skip link (a[href="#main"])');
    return problems;
  }
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const skip = document.querySelector('a.utrecht-skip-link') ?? document.querySelector('a[href="#main"]');
    const active = document.activeElement;
    const rect = active?.getBoundingClientRect();
    return {
      hasSkip: Boolean(skip),
      skipHref: skip?.getAttribute('href') ?? null,
      isSkip: Boolean(skip) && active === skip,
      active: active ? active.outerHTML.slice(0, 160) : 'nothing',
      visible: Boolean(rect && rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0),
    };
  });
  if (!focus.hasSkip) problems.push('no skip link (a.utrecht-skip-link or a[href="#main"])');
  else if (!focus.isSkip) problems.push(`the first Tab focused ${focus.active}, not the skip link`);
  else {
    if (focus.skipHref !== '#main') problems.push(`the skip link points to ${focus.skipHref}, not #main`);
    if (!focus.visible) problems.push('the skip link is not visible while it has focus');
  }
  // Leave the page as it was loaded, so the screenshot does not show the focused skip link.
  await page.evaluate(() => document.activeElement?.blur());
  return problems;
}

/**
 * Everything the suite checks on each page it visits: the language, #main and the skip link,
 * no script errors or failed resources, and axe. Saves a screenshot. Reports all problems at once.
 */
export async function checkPage(page, label, { keyboard = true } = {}) {
  const state = pageState.get(page);
  const problems = [];
  const htmlLang = await page.locator('html').getAttribute('lang');
  if (htmlLang !== state.lang) problems.push(`<html lang="${htmlLang}">, expected "${state.lang}"`);
  const title = (await page.title()).trim();
  if (!title) problems.push('the page has no <title>');
  if (keyboard) problems.push(...(await checkSkipLink(page)));
  try {
    await checkA11y(page, label);
  } catch (error) {
    problems.push(error.message);
  }
  if (state.consoleErrors.length) problems.push(`script errors: ${state.consoleErrors.join(' | ')}`);
  if (state.failedResources.length) problems.push(`failed resources: ${state.failedResources.join(', ')}`);
  state.consoleErrors.length = 0;
  state.failedResources.length = 0;
  if (problems.length) assert.fail(`${label} (${page.url()}):\n- ${problems.join('\n- ')}`);
}

/** GET a path, assert its status and run checkPage on it. */
export async function visit(page, urlPath, label, { status = 200, keyboard = true } = {}) {
  await goto(page, urlPath, { status });
  await checkPage(page, label, { keyboard });
}

// ---------------------------------------------------------------------------------------------
// Forms.

/** The form that holds a field with this name. */
export function formWith(page, fieldName) {
  return page.locator('form').filter({ has: page.locator(`[name="${fieldName}"]`) }).first();
}

/**
 * Fills a form and submits it with its submit button, waiting for the next page.
 * Values: a string for inputs, textareas and selects (the option's value); `{ text }` for a
 * select option whose label contains the text; an array of values for a group of checkboxes;
 * true/false for a single checkbox. `expectPath`: a RegExp the resulting path must match.
 */
export async function submitForm(page, values, { expectPath } = {}) {
  const names = Object.keys(values);
  const form = formWith(page, names[0]);
  assert.equal(await form.count(), 1, `no form with a field named ${names[0]} on ${page.url()}`);
  for (const [name, value] of Object.entries(values)) {
    const fields = form.locator(`[name="${name}"]`);
    const count = await fields.count();
    assert.ok(count > 0, `no field named ${name} in the form on ${page.url()}`);
    const first = fields.first();
    const tag = await first.evaluate((el) => el.tagName.toLowerCase());
    const type = (await first.getAttribute('type')) ?? '';
    if (tag === 'select') {
      if (typeof value === 'object' && value !== null && 'text' in value) {
        const options = await first.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent.trim() })));
        const option = options.find((o) => o.text.includes(value.text));
        assert.ok(option, `no option containing "${value.text}" in select ${name}: ${options.map((o) => o.text).join(' | ')}`);
        await first.selectOption(option.value);
      } else {
        await first.selectOption(String(value));
      }
    } else if (type === 'checkbox' || type === 'radio') {
      const wanted = Array.isArray(value) ? value.map(String) : null;
      for (let i = 0; i < count; i++) {
        const box = fields.nth(i);
        const boxValue = (await box.getAttribute('value')) ?? 'on';
        const on = wanted ? wanted.includes(boxValue) : Boolean(value);
        if (on) await box.check();
        else if (type === 'checkbox') await box.uncheck();
      }
      if (wanted) {
        const present = await fields.evaluateAll((els) => els.map((e) => e.value));
        for (const w of wanted) assert.ok(present.includes(w), `no ${type} ${name}=${w}; there are: ${present.join(', ')}`);
      }
    } else {
      await first.fill(String(value));
    }
  }
  const buttons = form.locator('button[type="submit"], input[type="submit"], button:not([type])');
  assert.equal(await buttons.count(), 1, `the form with ${names[0]} should have exactly one submit button`);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), buttons.first().click()]);
  if (expectPath && !expectPath.test(pathOf(page))) {
    assert.fail(
      `after submitting ${names.join(', ')} the browser is at ${pathOf(page)} (status ${response?.status()}), expected ${expectPath}:\n${await mainText(page)}`,
    );
  }
  return response;
}

/** Every href in #main, as paths. */
export async function linksIn(page, selector = '#main a[href]') {
  const hrefs = await page.locator(selector).evaluateAll((as) => as.map((a) => a.href));
  return hrefs.map((href) => new URL(href).pathname);
}

// ---------------------------------------------------------------------------------------------
// Signing in and out.

/**
 * Signs in with e-mail and password, then with the TOTP code when asked, setting up the second
 * factor when the account must (instance administrators). Ends on the home page `/`.
 * With `check`, every page on the way is checked with checkPage under that label prefix.
 */
export async function signIn(page, email, { password = DEMO_PASSWORD, check = null } = {}) {
  await goto(page, '/inloggen');
  if (check) await checkPage(page, `${check}-inloggen`);
  await submitForm(page, { email, password });
  for (let round = 0; round < 4; round++) {
    const where = pathOf(page);
    if (where === '/') {
      if (check) await checkPage(page, `${check}-start`);
      return;
    }
    if (where === '/account/tweede-factor') {
      if (check) await checkPage(page, `${check}-tweede-factor`);
      const secretElement = page.locator('#totp-secret');
      assert.equal(await secretElement.count(), 1, `no #totp-secret on ${where}:\n${await mainText(page)}`);
      const isInput = await secretElement.evaluate((el) => el.tagName === 'INPUT');
      const secret = (isInput ? await secretElement.inputValue() : await secretElement.innerText()).replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{16,}=*$/i, `#totp-secret does not hold a base32 secret: ${secret}`);
      // The same key as a QR code for the app, named for those who cannot see it, and drawn.
      const qr = page.getByRole('img', { name: /QR/ });
      assert.equal(await qr.count(), 1, `no QR code with an accessible name on ${where}`);
      const box = await qr.boundingBox();
      assert.ok(box && box.width >= 100 && box.height >= 100, `the QR code is too small to scan: ${JSON.stringify(box)}`);
      totpSecrets.set(email, secret);
      await submitForm(page, { code: await freshTotp(secret) });
      continue;
    }
    if (where === '/inloggen/code') {
      if (check) await checkPage(page, `${check}-code`);
      const secret = totpSecrets.get(email);
      assert.ok(secret, `${email} is asked for a TOTP code, but the suite never saw its secret`);
      await submitForm(page, { code: await freshTotp(secret) });
      continue;
    }
    assert.fail(`signing in as ${email} ended at ${where}:\n${await mainText(page)}`);
  }
  assert.fail(`signing in as ${email} did not reach / (at ${pathOf(page)})`);
}

/** Signs out with the form in the page header; afterwards /account leads to the sign-in page. */
export async function signOut(page) {
  const form = page.locator('form[action="/uitloggen"]').first();
  assert.equal(await form.count(), 1, `no sign-out form on ${page.url()}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('[type="submit"], button').first().click()]);
  await page.goto('/account');
  assert.equal(pathOf(page), '/inloggen', `after signing out, /account should lead to /inloggen, not ${pathOf(page)}`);
}

// ---------------------------------------------------------------------------------------------
// Steps: top-level tests that run in order and share state; once one fails, the rest of the
// file is skipped instead of failing for the same cause.

export function steps() {
  let failed = null;
  return function step(name, fn, { timeout = 120_000 } = {}) {
    test(name, { timeout }, async (t) => {
      if (failed) {
        t.skip(`skipped: "${failed}" failed`);
        return;
      }
      try {
        await fn(t);
      } catch (error) {
        failed = name;
        throw error;
      }
    });
  };
}
