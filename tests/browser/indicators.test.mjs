// Story: monitoring together. The regisseur records the data-sharing agreement, adopts the
// thuiszitters indicator from the library under the convenant, enters counts per buurt,
// submits and approves them, and reads the card: small numbers secret, never drawn as zero.
// A parents' survey then becomes a measurement of an end-user indicator. Every page: axe.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, signIn, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;
let card;

before(async () => {
  suite = await startSuite('indicators');
});
after(async () => {
  await suite?.close();
});

step('the regisseur records how data are shared', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await visit(page, `${demo}/afspraken/nieuw`, 'indicators-gegevensdeling-nieuw');
  const box = page.locator('input[type="checkbox"][name^="party-"]').first();
  const partner = (await box.getAttribute('name')).slice('party-'.length);
  await submitForm(
    page,
    {
      title: 'Gegevens delen voor de monitor',
      kind: 'gegevensdeling',
      status: 'vastgesteld',
      text: 'We delen alleen aantallen per buurt.',
      legal_basis: 'Artikel 6 lid 1 onder e AVG',
      purpose: 'Samen sturen op thuiszitters',
      data_categories: 'Aantallen per buurt en schooljaar',
      retention: 'Vijf jaar',
      [`party-${partner}`]: true,
      [`role-${partner}`]: 'verwerkingsverantwoordelijke',
    },
    { expectPath: new RegExp(`^${demo}/afspraken/\\d+$`) },
  );
});

step('the regisseur adopts the thuiszitters indicator from the library under the convenant', async () => {
  await visit(page, `${demo}/indicatoren`, 'indicators-leeg');
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="bibliotheek=thuiszitters"]').click()]);
  await checkPage(page, 'indicators-nieuw');
  assert.equal(await page.locator('#f-code').inputValue(), 'THZ');
  await submitForm(
    page,
    { agreement: { text: 'Convenant pedagogische basis' }, sharing: { text: 'Gegevens delen' }, targets: '2026-2027: 20', status: 'actief' },
    { expectPath: new RegExp(`^${demo}/indicatoren/\\d+$`) },
  );
  card = pathOf(page);
  await checkPage(page, 'indicators-kaart-leeg');
});

step('counts per buurt are entered, submitted and approved', async () => {
  for (const [area, n] of [['BU0363AD03', '12'], ['BU0363AD04', '9'], ['BU0363AD05', '3']]) {
    await submitForm(page, { area, period: '2026-2027', numerator: n }, { expectPath: new RegExp(`^${card}$`) });
  }
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/metingen/status"] button', { hasText: 'Indienen' }).first().click()]);
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/metingen/status"] button', { hasText: 'Goedkeuren' }).first().click()]);
  await visit(page, card, 'indicators-kaart');
  const text = await mainText(page, 50_000);
  assert.match(text, /geheim/);
  assert.match(text, /op koers|niet op koers/);
  assert.equal(await page.locator('svg.rg-trend title').count(), 1, 'the trend chart has a title');
});

step('a member reads the card without raw values', async () => {
  const member = await suite.user();
  await signIn(member, ACCOUNTS.lid);
  await visit(member, card, 'indicators-kaart-lid');
  assert.doesNotMatch(await mainText(member, 50_000), /Ruwe waarden/);
});

step('the same pages pass in English', async () => {
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  await visit(english, `${demo}/indicatoren`, 'indicators-en-lijst');
  await visit(english, `${demo}/indicatoren/nieuw?bibliotheek=ouders_gesteund`, 'indicators-en-nieuw');
  await visit(english, card, 'indicators-en-kaart');
});
