// Story: someone who uses only the keyboard. The first Tab reaches the skip link, activating it
// moves focus to the main content, and signing in works without a mouse.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  ACCOUNTS,
  DEMO_COLLABORATION,
  DEMO_PASSWORD,
  checkPage,
  goto,
  mainText,
  pathOf,
  startSuite,
  steps,
} from './lib.mjs';

const step = steps();
let suite;
let page;

before(async () => {
  suite = await startSuite('keyboard');
  page = await suite.user();
});
after(async () => {
  await suite?.close();
});

/** What has focus: a short description, and whether it lies inside #main. */
const focused = () =>
  page.evaluate(() => {
    const active = document.activeElement;
    const main = document.getElementById('main');
    return {
      name: active?.getAttribute('name') ?? null,
      html: active ? active.outerHTML.slice(0, 120) : 'nothing',
      inMain: Boolean(main && active && (active === main || main.contains(active))),
      isBody: active === document.body,
    };
  });

/** From a freshly loaded page: Tab focuses the skip link, Enter moves on to #main. */
async function skipLinkMovesFocusToMain() {
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const active = document.activeElement;
    return {
      isSkip: active?.tagName === 'A' && (active.classList.contains('utrecht-skip-link') || active.getAttribute('href') === '#main'),
      html: active ? active.outerHTML.slice(0, 120) : 'nothing',
      href: active?.getAttribute('href'),
    };
  });
  assert.ok(skip.isSkip, `the first Tab focused ${skip.html}, not the skip link`);
  assert.equal(skip.href, '#main');
  const box = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return { width: r.width, height: r.height, top: r.top, left: r.left };
  });
  assert.ok(box.width > 1 && box.height > 1 && box.top >= 0 && box.left >= 0, `the focused skip link is not visible: ${JSON.stringify(box)}`);

  await page.keyboard.press('Enter');
  assert.equal(new URL(page.url()).hash, '#main');
  let now = await focused();
  if (!now.inMain) {
    // A main without tabindex does not take focus itself, but the next Tab must land inside it.
    assert.ok(now.isBody || now.inMain, `after the skip link, focus is on ${now.html}`);
    await page.keyboard.press('Tab');
    now = await focused();
    assert.ok(now.inMain, `after the skip link, the next Tab focused ${now.html}, outside #main`);
  }
}

/** Presses Tab until the field with this name has focus. */
async function tabTo(name, limit = 15) {
  for (let i = 0; i < limit; i++) {
    if ((await focused()).name === name) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${limit} Tab presses did not reach the field ${name}`);
}

step('sign-in page: the skip link comes first and leads to the form', async () => {
  await goto(page, '/inloggen');
  await checkPage(page, 'toetsenbord-inloggen');
  await page.reload();
  await skipLinkMovesFocusToMain();
});

step('signing in with the keyboard alone', async () => {
  await goto(page, '/inloggen');
  await tabTo('email');
  await page.keyboard.type(ACCOUNTS.regisseur);
  await tabTo('password');
  await page.keyboard.type(DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(pathOf(page), '/', `after signing in, at ${pathOf(page)}:\n${await mainText(page)}`);
});

step('collaboration overview: the skip link comes first and leads to the content', async () => {
  const link = page.locator('#main a[href*="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION }).first();
  const href = new URL(await link.evaluate((a) => a.href)).pathname;
  // Follow the link with the keyboard: focus it, press Enter.
  await link.focus();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(pathOf(page), href);
  await checkPage(page, 'toetsenbord-overzicht');
  await page.reload();
  await skipLinkMovesFocusToMain();
});

step('every control on the overview is reachable and shows where focus is', async () => {
  await page.reload();
  const seen = [];
  const invisible = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      const r = a.getBoundingClientRect();
      const style = getComputedStyle(a);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow && style.boxShadow !== 'none';
      return {
        key: a.outerHTML.slice(0, 100),
        visible: r.width > 0 && r.height > 0,
        indicator: outline || shadow,
      };
    });
    if (!info) break;
    if (seen.includes(info.key)) break;
    seen.push(info.key);
    if (!info.visible || !info.indicator) invisible.push(info.key);
  }
  assert.ok(seen.length > 3, `Tab reached only ${seen.length} controls`);
  assert.deepEqual(invisible, [], 'controls without a visible focus indicator');
});
