// Story: monitoring together. The regisseur records the data-sharing agreement, adopts the
// youth-care indicator from the library under the convenant, imports a file (first with
// mistakes, each reported; then fixed), submits and approves the figures, locks the period,
// and reads the card: small numbers secret, never drawn as zero. Every page: axe.

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

step('the regisseur adopts the youth-care indicator from the library under the convenant', async () => {
  await visit(page, `${demo}/indicatoren`, 'indicators-lijst');
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="bibliotheek=jeugdhulpgebruik"]').click()]);
  await checkPage(page, 'indicators-nieuw');
  assert.equal(await page.locator('#f-code').inputValue(), 'JHG');
  await submitForm(
    page,
    { agreement: { text: 'Convenant pedagogische basis' }, sharing: { text: 'Gegevens delen voor de monitor' }, targets: '2026-H1: 60', status: 'actief' },
    { expectPath: new RegExp(`^${demo}/indicatoren/\\d+$`) },
  );
  card = pathOf(page);
  await checkPage(page, 'indicators-kaart-leeg');
});

async function upload(csv, screenshot) {
  await page.locator('#f-file').setInputFiles({ name: 'metingen.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
  await Promise.all([page.waitForNavigation(), page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()]);
  await checkPage(page, screenshot);
  return mainText(page, 50_000);
}

step('a file is imported: every mistake reported, then the fixed file stored', async () => {
  await visit(page, `${demo}/indicatoren`, 'indicators-lijst');
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="/indicatoren/import"]').click()]);
  await checkPage(page, 'indicators-import');
  const header = 'Indicator;Gebied;Periode;Teller;Noemer;Opmerking\r\n';
  const rows = ['JHG;WK034401;2026-H1;31;412;', 'JHG;WK034402;2026-H1;12;95;', 'JHG;WK034403;2026-H1;6;71;caf\xe9'];
  const refused = await upload(header + ['JHG;WK034499;2026-H1;3;50;', 'JHG;WK034401;2026;3;50;', ...rows].join('\r\n'), 'indicators-import-fouten');
  assert.match(refused, /Er is niets opgeslagen/);
  assert.match(refused, /Regel 2, kolom Gebied: Deze gebiedscode komt niet voor/);
  assert.match(refused, /Regel 3, kolom Periode/);
  const stored = await upload(header + rows.join('\r\n'), 'indicators-import-klaar');
  assert.match(stored, /3 regels gelezen: 3 nieuw/);
});

step('the figures are submitted and approved, and the period locked', async () => {
  await visit(page, card, 'indicators-kaart-concept');
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/metingen/status"] button', { hasText: 'Indienen' }).first().click()]);
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/metingen/status"] button', { hasText: 'Goedkeuren' }).first().click()]);
  await visit(page, card, 'indicators-kaart');
  const text = await mainText(page, 50_000);
  assert.match(text, /geheim/);
  assert.match(text, /op koers|niet op koers/);
  assert.equal(await page.locator('svg.rg-trend title').count(), 1, 'the trend chart has a title');
  await visit(page, `${demo}/indicatoren/import`, 'indicators-import');
  await submitForm(page, { period: '2026-H1' }, { expectPath: new RegExp(`^${demo}/indicatoren/import$`) });
  assert.match(await mainText(page, 50_000), /2026-H1/);
  await checkPage(page, 'indicators-import-afgesloten', { keyboard: false });
});

step('the story behind the figures is written on the card', async () => {
  await visit(page, card, 'indicators-kaart');
  assert.match(await mainText(page, 50_000), /Er is nog geen verhaal bij de nieuwste cijfers/);
  await submitForm(
    page,
    { seen: 'Meer jeugdhulp in West dan elders.', explains: 'Een nieuwe huisartsenpraktijk verwijst vaker door.', will_do: 'Een praktijkondersteuner jeugd bij de huisarts.' },
    { expectPath: new RegExp(`^${card}$`) },
  );
  const text = await mainText(page, 50_000);
  assert.match(text, /Een nieuwe huisartsenpraktijk verwijst vaker door/);
  assert.doesNotMatch(text, /Er is nog geen verhaal bij de nieuwste cijfers/);
  await checkPage(page, 'indicators-kaart-verhaal', { keyboard: false });
});

step('a learning cycle is opened for the half year and a decision linked to the convenant', async () => {
  await visit(page, `${demo}/cycli`, 'cycles-lijst');
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="/cycli/nieuw"]').click()]);
  await checkPage(page, 'cycles-nieuw');
  await submitForm(page, { period: '2026-H1', title: 'Eerste halfjaar 2026', findings: 'Het gebruik van jeugdhulp ligt boven de streefwaarde.' }, { expectPath: new RegExp(`^${demo}/cycli/\\d+$`) });
  const cycle = pathOf(page);
  const plan = await mainText(page, 50_000);
  assert.match(plan, /JHG Jeugdhulpgebruik/);
  assert.match(plan, /Meer jeugdhulp in West dan elders/);
  await checkPage(page, 'cycles-cyclus');
  await submitForm(page, { text: 'De praktijkondersteuner komt in het convenant.', agreement: { text: 'Convenant pedagogische basis' } }, { expectPath: new RegExp(`^${cycle}$`) });
  assert.match(await mainText(page, 50_000), /De praktijkondersteuner komt in het convenant\. — verandert de afspraak Convenant pedagogische basis/);
  await checkPage(page, 'cycles-besluit', { keyboard: false });
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
  await visit(english, `${demo}/cycli`, 'cycles-en-lijst');
  await visit(english, `${demo}/indicatoren/import`, 'indicators-en-import');
});
