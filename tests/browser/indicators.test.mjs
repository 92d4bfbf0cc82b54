// Story: monitoring together. The regisseur records the data-sharing agreement, adopts the
// youth-care indicator from the library under the convenant, imports a file (first with
// mistakes, each reported; then fixed), submits and approves the figures, locks the period,
// and reads the card: small numbers secret, never drawn as zero — in the trend, in the bars per
// area and in the CSV and Excel downloads. Every page: axe.

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
  // Three of Utrecht's ten wijken: each wijk has its figure, Utrecht and the whole no sum.
  assert.match(text, /onvolledig: 0 van 1 gebieden gemeten/);
  assert.doesNotMatch(text, /84,78/, 'never the sum of three wijken as if it were the whole');
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

step('the card draws the figures per area as bars, secret ones marked in words, beside the same table', async () => {
  await visit(page, card, 'indicators-kaart-balken');
  const bars = page.locator('#main svg.rg-areas');
  assert.equal(await bars.count(), 1, 'one chart of bars');
  assert.equal(await bars.getAttribute('role'), 'img');
  assert.equal(await bars.getAttribute('aria-labelledby'), 'areas-title areas-desc');
  assert.match(await bars.locator('title').textContent(), /Per gebied in 2026-H1/);
  assert.match(await bars.locator('desc').textContent(), /geen balk/);
  // Three wijken (per 1,000): 31 of 412 is shown, from its rounded parts (30 of 410: 73,2);
  // 12 of 95 and 6 of 71 have too small a denominator.
  assert.equal(await bars.locator('rect.rg-bar').count(), 1, 'a bar only for the shown wijk');
  assert.deepEqual(await bars.locator('text.rg-secret').allTextContents(), ['te kleine noemer', 'te kleine noemer'], 'the withheld wijken as words, no bar');
  const table = page.locator('#main table', { has: page.locator('caption', { hasText: 'Per gebied in 2026-H1' }) });
  const values = await table.locator('tbody td').allTextContents();
  assert.deepEqual(values.map((v) => v.trim()), ['73,2', 'te kleine noemer', 'te kleine noemer'], 'the same figures as a table');
});

step('the card offers its published figures as CSV and as Excel', async () => {
  const fetched = async (selector) => {
    const href = await page.locator(selector).getAttribute('href');
    return page.evaluate(async (url) => {
      const response = await fetch(url);
      const bytes = new Uint8Array(await response.clone().arrayBuffer());
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        disposition: response.headers.get('content-disposition'),
        head: Array.from(bytes.slice(0, 4)),
        text: await response.text(),
      };
    }, href);
  };
  assert.equal(await page.locator('#main a', { hasText: 'Downloaden als CSV' }).count(), 1);
  assert.equal(await page.locator('#main a', { hasText: 'Downloaden als Excel' }).count(), 1);
  const csv = await fetched('#main a[href$="/export.csv"]');
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.disposition, /^attachment; filename="indicator-JHG\.csv"$/);
  assert.deepEqual(csv.head.slice(0, 3), [0xef, 0xbb, 0xbf], 'a byte-order mark, so Excel reads UTF-8');
  assert.match(csv.text, /"Publicatieregels";"Aantallen zijn afgerond op een veelvoud van 5\./);
  assert.match(csv.text, /"2026-H1";;"Hele samenwerking";"onvolledig: 0 van 1 gebieden gemeten";60;/, 'no partial sum beside the target');
  assert.match(csv.text, /"2026-H1";"WK034401";"[^"]*";73,2;;\r\n/, 'the published value, no more precision than the card');
  assert.match(csv.text, /"2026-H1";"WK034402";"[^"]*";"te kleine noemer";;\r\n/);
  assert.match(csv.text, /"2026-H1";"WK034403";"[^"]*";"te kleine noemer";;\r\n/);
  assert.doesNotMatch(csv.text, /12 \/ 95|6 \/ 71|;0;/, 'no raw parts, and secret never as 0');
  const xlsx = await fetched('#main a[href$="/export.xlsx"]');
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(xlsx.disposition, /^attachment; filename="indicator-JHG\.xlsx"$/);
  assert.deepEqual(xlsx.head, [0x50, 0x4b, 0x03, 0x04], 'a ZIP archive');
});

step('the steward chooses the period of the raw values', async () => {
  await visit(page, `${card}?periode=2026-H1`, 'indicators-kaart-ruw');
  assert.equal(await page.locator('#ruw[open]').count(), 1, 'the chosen period opens the list');
  assert.equal(await page.locator('#f-raw-period').inputValue(), '2026-H1');
  const raw = page.locator('#ruw table tbody tr');
  assert.equal(await raw.count(), 3);
  assert.match(await page.locator('#ruw').innerText(), /12 \/ 95/);
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
  assert.equal(await member.locator('#f-raw-period').count(), 0, 'no choice of raw values either');
  assert.equal(await member.locator('#main svg.rg-areas rect.rg-bar').count(), 1, 'the same bars as anyone');
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
