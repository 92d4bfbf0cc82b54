// Story: the MDO looks back on its cases. The regisseur opens the case reviews from the menu,
// records a review whose lesson names a child and a school, is warned, writes it more generally,
// is warned once more about a harmless word and confirms with the keyboard. The results show
// the shares per half year with small groups secret (also per year), the share becomes a draft
// measurement of the library's indicator, and the learning cycle of 2025 shows its figures. A
// lezer sees only the results; a beheerder removes the review after a confirmation. Every
// page: axe, in Dutch, and the results in English.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, goto, mainText, pathOf, setLang, signIn, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;
let list;

// The finding's words stand in a <q>; whether its quotation marks are in the text depends on the browser.
const unquoted = (text) => text.replace(/[“”„"‘’]/g, '');

before(async () => {
  suite = await startSuite('case-reviews');
});
after(async () => {
  await suite?.close();
});

step('the regisseur finds the case reviews of the MDO in the menu', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await goto(page, demo);
  await Promise.all([page.waitForNavigation(), page.locator('nav.rg-collabnav a', { hasText: 'Casusbesprekingen' }).click()]);
  list = `${demo}/casusbesprekingen`;
  assert.equal(pathOf(page), list);
  assert.equal(await page.locator('nav.rg-collabnav a[aria-current="page"]').innerText(), 'Casusbesprekingen');
  await checkPage(page, 'case-reviews-lijst');
  const text = await mainText(page, 50_000);
  assert.match(text, /MDO Lindeveen/);
  assert.match(text, /Geen plek binnen de termijn/);
});

step('a lesson that names a child and a school is not saved but listed back', async () => {
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="/casusbesprekingen/nieuw"]').first().click()]);
  await checkPage(page, 'case-reviews-nieuw');
  await submitForm(page, {
    body: { text: 'MDO Lindeveen' },
    date: '2026-10-20',
    age_band: '12-18',
    domains: ['onderwijs', 'jeugdhulp'],
    offer: 'deels',
    days: '56',
    barrier: 'wachtlijst',
    lesson: 'Volgens Jansen van basisschool De Regenboog kwam de hulp te laat.',
  });
  assert.equal(pathOf(page), list, 'the form comes back at the same address');
  const warning = page.locator('.rg-alert--warning');
  assert.equal(await warning.count(), 1, await mainText(page));
  const findings = (await warning.locator('li').allInnerTexts()).map(unquoted);
  assert.deepEqual(findings, ['mogelijk een naam: Jansen', 'een school of opvang met naam: basisschool De Regenboog']);
  assert.equal(await page.locator('#f-bevestigd').isChecked(), false);
  await checkPage(page, 'case-reviews-waarschuwing');
});

step('written more generally it is checked again, and confirmed with the keyboard', async () => {
  await submitForm(page, { lesson: 'Na de Kerstvakantie kon het kind terug naar de eigen klas; de hulp eerder inschakelen.' });
  const findings = (await page.locator('.rg-alert--warning li').allInnerTexts()).map(unquoted);
  assert.deepEqual(findings, ['mogelijk een naam: Kerstvakantie'], 'a changed text is checked again');
  await checkPage(page, 'case-reviews-waarschuwing-2', { keyboard: false });
  // Tick the box and send the form without a mouse.
  await page.locator('#f-lesson').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-bevestigd');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#f-bevestigd').isChecked(), true);
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(pathOf(page), list);
  assert.match(await mainText(page, 50_000), /Na de Kerstvakantie kon het kind terug naar de eigen klas/);
  // The address ends in the body's anchor, where the next Tab starts: the skip link was checked in step one.
  await checkPage(page, 'case-reviews-opgeslagen', { keyboard: false });
});

step('the results show the shares per half year with small groups secret', async () => {
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="/casusbesprekingen/resultaten"]').first().click()]);
  await checkPage(page, 'case-reviews-resultaten');
  const row = async (period) => (await page.locator('table tr', { has: page.locator(`th[scope="row"]`, { hasText: period }) }).first().allInnerTexts()).join(' ');
  // 7 of 12 with an offer: both groups reach five. With or without a partial offer is 10
  // of 12, which leaves two: secret.
  assert.match(await row('2026-H1'), /12\s+58,3%\s+geheim\s+24,5/);
  assert.match(await row('2026-H2'), /nog niet gepubliceerd: halfjaar loopt nog/, 'the current half year: nothing until it has ended');
  assert.equal(await page.locator('svg.rg-shares title').count(), 1, 'the chart has a title');
  assert.match(await mainText(page, 50_000), /wachtlijst\s+geheim: te klein aantal\s+5/, 'per category, small groups secret, with the reason');
  assert.doesNotMatch(await mainText(page, 50_000), /jaar\s+0\s/, 'a category that did not occur is no 0');
  await Promise.all([page.waitForNavigation(), page.locator('#main nav a', { hasText: 'Per jaar' }).click()]);
  await checkPage(page, 'case-reviews-resultaten-jaar');
  assert.match(await row('2025'), /6\s+geheim/, 'six of six with an offer: the share would say that none went without');
  assert.match(await row('2026'), /nog niet gepubliceerd: halfjaar loopt nog/, 'the year waits for its second half');
});

step('the share is recorded as a draft measurement of the library indicator', async () => {
  await goto(page, `${list}/resultaten`);
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="bibliotheek=passend_aanbod"]').click()]);
  await checkPage(page, 'case-reviews-indicator-nieuw');
  assert.equal(await page.locator('#f-code').inputValue(), 'PAB');
  await submitForm(page, { min_denominator: '100' }, { expectPath: new RegExp(`^${demo}/indicatoren/\\d+$`) });
  await goto(page, `${list}/resultaten`);
  await submitForm(page, { period: '2026-H1' }, { expectPath: new RegExp(`^${demo}/indicatoren/\\d+$`) });
  assert.match(await mainText(page, 50_000), /2026-H1/);
  await checkPage(page, 'case-reviews-meting', { keyboard: false });
});

step('the learning cycle of 2025 shows the case reviews of that year', async () => {
  await visit(page, `${demo}/cycli`, 'case-reviews-cycli');
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Terugblik 2025' }).click()]);
  const check = await page.locator('#casusbesprekingen + dl').innerText();
  assert.match(check, /Besproken casussen\s+6/);
  assert.match(check, /Passend aanbod\s+geheim/);
  await checkPage(page, 'case-reviews-cyclus');
});

step('a lezer reads the results only, in Dutch and English', async () => {
  const lezer = await suite.user();
  await signIn(lezer, ACCOUNTS.lezer);
  await goto(lezer, demo);
  await Promise.all([lezer.waitForNavigation(), lezer.locator('nav.rg-collabnav a', { hasText: 'Casusbesprekingen' }).click()]);
  assert.equal(pathOf(lezer), `${list}/resultaten`);
  await checkPage(lezer, 'case-reviews-lezer-resultaten');
  assert.equal(await lezer.locator('#main form[method="post"]').count(), 0, 'nothing to change');
  assert.doesNotMatch(await mainText(lezer, 50_000), /Kerstvakantie/, 'no lesson on the results page');
  await visit(lezer, list, 'case-reviews-lezer-403', { status: 403 });
  await setLang(lezer, 'en');
  await visit(lezer, `${list}/resultaten`, 'case-reviews-lezer-results-en');
  assert.match(await mainText(lezer, 50_000), /Share of cases with a suitable offer/);
});

step('the beheerder removes the review after a confirmation', async () => {
  await goto(page, list);
  const remove = page.locator('#main tr', { hasText: 'Kerstvakantie' }).locator('a[href$="/verwijderen"]');
  const target = await remove.getAttribute('href');
  await Promise.all([page.waitForNavigation(), remove.click()]);
  await checkPage(page, 'case-reviews-verwijderen');
  assert.match(await mainText(page), /Weet u zeker dat u deze casusbespreking wilt verwijderen\? Bespreking van 20 oktober 2026/);
  await Promise.all([page.waitForNavigation(), page.locator('#main form button[type="submit"]').click()]);
  assert.equal(pathOf(page), list);
  assert.doesNotMatch(await mainText(page, 50_000), /Kerstvakantie/);
  assert.equal((await page.request.get(target)).status(), 404);
});
