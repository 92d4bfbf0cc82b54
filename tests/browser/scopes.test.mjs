// Story: working areas. The regisseur reads the demo's working area with its figures, defines
// one of her own from a list of CBS codes (first with a code that does not exist, which the
// form points out), and deletes it after a confirmation. A lezer reads the figures without
// forms. Every page: axe, in Dutch and English.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, setLang, signIn, signOut, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;

before(async () => {
  suite = await startSuite('scopes');
});
after(async () => {
  await suite?.close();
});

step('the regisseur opens the working areas from the navigation and reads the demo area', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await visit(page, demo, 'scopes-overzicht');
  await Promise.all([page.waitForNavigation(), page.locator('nav.rg-collabnav a', { hasText: 'Werkgebieden' }).click()]);
  assert.equal(pathOf(page), `${demo}/werkgebieden`);
  await checkPage(page, 'scopes-lijst');
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'preventieteam West' }).first().click()]);
  await checkPage(page, 'scopes-lindeveen-noord');
  const text = await mainText(page, 20_000);
  assert.match(text, /Bestaat uit/);
  assert.match(text, /THZ/);
  assert.match(text, /2023-2024\s+10/, 'the wijk\'s thuiszitters, rounded to five');
  assert.match(text, /2024-2025\s+10/, 'the wijk as its publication shows it: a working area of one wijk is that wijk\'s cell');
});

step('a working area with an unknown code is refused with the reason, then saved', async () => {
  await visit(page, `${demo}/werkgebieden/nieuw`, 'scopes-nieuw');
  await submitForm(page, { name: 'Centrum en Zuid', kind: 'gebieden', members: 'WK034402\nGM9999' }, { expectPath: /\/werkgebieden$/ });
  await checkPage(page, 'scopes-nieuw-fout', { keyboard: false });
  assert.match(await mainText(page), /komt niet voor in de gebiedsindeling/);
  assert.equal(await page.locator('#f-members').inputValue(), 'WK034402\nGM9999', 'what was typed stays');
  await submitForm(page, { members: 'WK034402\nWK034403' }, { expectPath: /\/werkgebieden\/\d+$/ });
  await checkPage(page, 'scopes-centrum-zuid');
  assert.equal((await page.locator('#main h1').innerText()).trim(), 'Centrum en Zuid', 'the page of the area just saved');
  const text = await mainText(page, 20_000);
  assert.match(text, /WK034402/, 'its first wijk');
  assert.match(text, /WK034403/, 'the wijk typed after the refusal');
});

step('deleting asks first', async () => {
  await visit(page, `${demo}/werkgebieden`, 'scopes-lijst-2');
  const remove = page.locator('#main a', { hasText: 'Verwijderen' }).filter({ hasText: 'Centrum en Zuid' });
  await Promise.all([page.waitForNavigation(), remove.click()]);
  await checkPage(page, 'scopes-verwijderen');
  assert.match(await mainText(page), /Weet u zeker/);
  await Promise.all([page.waitForNavigation(), page.locator('#main button[type="submit"]').click()]);
  assert.equal(pathOf(page), `${demo}/werkgebieden`);
  assert.doesNotMatch(await mainText(page, 20_000), /Centrum en Zuid/);
  await signOut(page);
});

step('a lezer reads the figures without forms, in English too', async () => {
  await signIn(page, ACCOUNTS.lezer);
  await visit(page, `${demo}/werkgebieden`, 'scopes-lezer');
  assert.equal(await page.locator('#main a', { hasText: 'Werkgebied toevoegen' }).count(), 0);
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'preventieteam West' }).first().click()]);
  await checkPage(page, 'scopes-lezer-noord');
  const here = pathOf(page);
  await setLang(page, 'en');
  await visit(page, here, 'scopes-lezer-noord-en');
  assert.match(await mainText(page, 20_000), /Made up of/);
  await setLang(page, 'nl');
});
