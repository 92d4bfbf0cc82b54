// Story: the legal map and the responsibility matrix. The regisseur asks which laws apply at
// 16, reads the chart and its table, adds the common topics to the matrix, marks who is
// responsible and where a grey zone lies, and sees the gaps named. Every page: axe, nl and en.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, signIn, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;

before(async () => {
  suite = await startSuite('structure');
});
after(async () => {
  await suite?.close();
});

step('the legal map answers for an age, with a chart and the same facts as a table', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await visit(page, '/wettelijk-kader', 'structure-wettelijk-kader');
  await submitForm(page, { leeftijd: '16' }, { expectPath: /^\/wettelijk-kader$/ });
  await checkPage(page, 'structure-wettelijk-kader-16');
  const text = await mainText(page, 50_000);
  assert.match(text, /Leerplichtwet/);
  assert.match(text, /Jeugdwet/);
  assert.equal(await page.locator('svg[role="img"] title').count(), 1, 'the chart has a title');
  assert.ok((await page.locator('#main table tbody tr').count()) >= 13, 'the table lists every law');
});

step('the regisseur fills in the responsibility matrix', async () => {
  await visit(page, `${demo}/verantwoordelijkheden`, 'structure-matrix-leeg');
  const common = page.locator('form input[name="common"]');
  await Promise.all([page.waitForNavigation(), common.locator('xpath=..').locator('button').click()]);
  assert.equal(pathOf(page), `${demo}/verantwoordelijkheden`);
  const selects = page.locator('select[name^="cell-"]');
  assert.ok((await selects.count()) >= 6, 'a cell per topic and partner');
  const first = await selects.nth(0).getAttribute('name');
  const second = await selects.nth(1).getAttribute('name');
  await submitForm(page, { [first]: 'verantwoordelijk', [second]: 'grijs_gebied' }, { expectPath: new RegExp(`^${demo}/verantwoordelijkheden$`) });
  assert.equal(await page.locator(`select[name="${first}"]`).inputValue(), 'verantwoordelijk');
  assert.match(await mainText(page, 50_000), /grijs gebied/i);
  await checkPage(page, 'structure-matrix');
});

let agreement;

step('the regisseur draws the meeting structure: a bestuurlijk LEA and a werkgroep that reports to it', async () => {
  await visit(page, `${demo}/overleg`, 'structure-overleg-leeg');
  await visit(page, `${demo}/overleg/nieuw`, 'structure-overleg-nieuw');
  await submitForm(
    page,
    { name: 'LEA bestuurlijk overleg', level: 'bestuurlijk', kind: 'lea_bestuurlijk', purpose: 'Bestuurlijke afspraken over de pedagogische basis', per_year: '4', evaluate_every_months: '12', last_evaluated: '2026-02-01' },
    { expectPath: new RegExp(`^${demo}/overleg$`) },
  );
  await visit(page, `${demo}/overleg/nieuw`, 'structure-overleg-nieuw-2');
  await submitForm(
    page,
    { name: 'Werkgroep doorgaande lijn', level: 'uitvoerend', kind: 'werkgroep', purpose: 'De overgang van opvang naar school', reports_to: { text: 'LEA bestuurlijk overleg' } },
    { expectPath: new RegExp(`^${demo}/overleg$`) },
  );
  assert.equal(await page.locator('svg line.rg-reportline').count(), 3, 'the demo werkgroep, the demo MDO and the new werkgroep each report to an LEA');
  assert.match(await mainText(page, 50_000), /geen evaluatieritme/);
  await checkPage(page, 'structure-overleg');
});

step('the regisseur writes the vision with hard data and soft signals, adopts it, and three partners endorse it', async () => {
  await visit(page, `${demo}/visie`, 'structure-visie-leeg');
  await visit(page, `${demo}/visie/bewerken`, 'structure-visie-bewerken');
  await submitForm(
    page,
    {
      task: 'Elk kind in Lindeveen groeit op met mensen om zich heen die het zien staan.',
      'hard-0-what': 'Een op de acht kinderen groeit op in een huishouden met een laag inkomen',
      'hard-0-source': 'CBS, Jeugdmonitor',
      'hard-0-date': '2025-06-30',
      'soft-0-what': 'Ouders zeggen dat ze niet weten waar ze met vragen terecht kunnen',
      'soft-0-from': 'ouders',
      'soft-0-date': '2025-09-15',
      perspective: 'Samen opgroeien in Lindeveen: thuis, op de opvang, op school en in de wijk.',
    },
    { expectPath: new RegExp(`^${demo}/visie$`) },
  );
  const adopt = page.locator('form[action$="/visie/vaststellen"] button');
  await Promise.all([page.waitForNavigation(), adopt.click()]);
  for (let i = 0; i < 3; i++) {
    const form = page.locator('form[action$="/visie/draagvlak"]').nth(i);
    await form.locator('select[name="assent"]').selectOption('instemming');
    await Promise.all([page.waitForNavigation(), form.locator('button').click()]);
  }
  const text = await mainText(page, 50_000);
  assert.match(text, /3 stemmen in/);
  assert.match(text, /Een op de acht kinderen/);
  await checkPage(page, 'structure-visie', { keyboard: false });
});

step('the regisseur writes a convenant with three parties, who record their assent', async () => {
  await visit(page, `${demo}/afspraken`, 'structure-afspraken-leeg');
  await visit(page, `${demo}/afspraken/nieuw`, 'structure-afspraak-nieuw');
  const boxes = page.locator('input[type="checkbox"][name^="party-"]');
  const names = (await boxes.evaluateAll((els) => els.map((e) => e.name))).slice(0, 3);
  assert.equal(names.length, 3, 'the demo has partners to choose');
  const values = {
    title: 'Convenant Samen Opgroeien',
    kind: 'samenwerkingsovereenkomst',
    text: 'Artikel 1\nWe delen één perspectief.',
    review: '2025-12-31',
    body: { text: 'LEA bestuurlijk overleg' },
  };
  for (const name of names) values[name] = true;
  await submitForm(page, values, { expectPath: new RegExp(`^${demo}/afspraken/\\d+$`) });
  agreement = pathOf(page);
  await checkPage(page, 'structure-afspraak');
  for (let i = 0; i < 3; i++) {
    const form = page.locator('form[action$="/instemming"]').nth(i);
    await form.locator('select[name="assent"]').selectOption(i === 2 ? 'voorbehoud' : 'instemming');
    if (i === 2) await form.locator('input[name="reason"]').fill('Eerst in ons bestuur bespreken');
    await Promise.all([page.waitForNavigation(), form.locator('button').click()]);
  }
  const text = await mainText(page, 50_000);
  assert.match(text, /Eerst in ons bestuur bespreken/);
  assert.equal((text.match(/instemming/g) || []).length >= 2, true);
});

let meeting;

step('the regisseur plans a meeting of the LEA from its template; the overdue review is on the agenda', async () => {
  await visit(page, `${demo}/overleg`, 'structure-overleg-met-lea');
  const lea = page.locator('#main table a', { hasText: 'LEA bestuurlijk overleg' }).first();
  const body = (await lea.getAttribute('href')).match(/overleg\/(\d+)/)[1];
  await visit(page, `${demo}/vergaderingen/nieuw?overleg=${body}`, 'structure-vergadering-nieuw');
  assert.equal(await page.locator('select[name="template"]').inputValue(), 'lea_bestuurlijk', 'the LEA template is chosen for an LEA body');
  await submitForm(page, { date: '2026-12-10', time: '19:30', place: 'Stadhuis, raadzaal' }, { expectPath: new RegExp(`^${demo}/vergaderingen/\\d+$`) });
  meeting = pathOf(page);
  await checkPage(page, 'structure-vergadering');
  const text = await mainText(page, 50_000);
  assert.match(text, /Herziening: Convenant Samen Opgroeien/);
  assert.ok((await page.locator('.rg-agenda__item').count()) >= 5, 'the template filled the agenda');
  const ics = await page.request.get(`${meeting}/agenda.ics`);
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), /DTSTART;TZID=Europe\/Amsterdam:20261210T193000/);
});

step('the decision changes the agreement: version 2 with its diff, and the minutes record it', async () => {
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Afspraak aanpassen volgens dit besluit' }).first().click()]);
  assert.equal(pathOf(page), `${agreement}/bewerken`);
  await submitForm(page, { status: 'herzien', review: '2027-12-31', text: 'Artikel 1\nWe delen één perspectief en evalueren elk jaar.' }, { expectPath: new RegExp(`^${agreement}$`) });
  await visit(page, `${agreement}/vergelijk?van=1&naar=2`, 'structure-afspraak-vergelijk');
  const diff = await mainText(page, 50_000);
  assert.match(diff, /evalueren elk jaar/);
  assert.ok((await page.locator('.rg-diff del').count()) >= 1 && (await page.locator('.rg-diff ins').count()) >= 1);

  await visit(page, `${meeting}/bewerken`, 'structure-vergadering-bewerken');
  const titles = await page.locator('input[name="item_title"]').evaluateAll((els) => els.map((e) => e.value));
  const review = titles.findIndex((t) => t.startsWith('Herziening'));
  assert.ok(review >= 0, 'the review item is on the form');
  await page.locator('textarea[name="item_result"]').nth(review).fill('Convenant verlengd; we evalueren voortaan elk jaar.');
  await page.locator('select[name="att_presence"]').first().selectOption('vervangen');
  await page.locator('input[name="att_substitute"]').first().fill('Wethouder De Vries');
  await submitForm(page, { status: 'gehouden', notes: 'Besloten het convenant te verlengen.' }, { expectPath: new RegExp(`^${meeting}$`) });
  const text = await mainText(page, 50_000);
  assert.match(text, /Convenant verlengd/);
  assert.match(text, /Wethouder De Vries/);
});

step('an action point lands under "mijn actiepunten" and is marked done there', async () => {
  await page.locator('#f-action-title').fill('Nieuwe versie van het convenant rondsturen');
  await page.locator('#f-action-owner').selectOption({ label: 'Sanne de Regisseur' });
  await page.locator('#f-action-due').fill('2026-12-20');
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/actiepunten"] button[type="submit"]').click()]);
  // The page opens at its action points (a fragment), so the first Tab starts there, not at the skip link.
  await checkPage(page, 'structure-vergadering-actiepunt', { keyboard: false });
  await visit(page, '/actiepunten', 'structure-mijn-actiepunten');
  assert.match(await mainText(page, 50_000), /Nieuwe versie van het convenant rondsturen/);
  const form = page.locator('form', { has: page.locator('input[name="terug"]') }).filter({ hasText: 'Nieuwe versie van het convenant' });
  await form.locator('select[name="status"]').selectOption('gedaan');
  await Promise.all([page.waitForNavigation(), form.locator('button').click()]);
  assert.equal(pathOf(page), '/actiepunten');
  await visit(page, `${demo}/vergaderingen`, 'structure-vergaderingen');
});

step('the overdue review of the demo convenant is flagged on the start page', async () => {
  await visit(page, demo, 'structure-overzicht-herziening');
  assert.match(await mainText(page, 50_000), /Afspraken die herzien moeten worden/);
});

step('the same pages pass in English', async () => {
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  await visit(english, '/wettelijk-kader?leeftijd=zwangerschap', 'structure-en-legal');
  await visit(english, `${demo}/verantwoordelijkheden`, 'structure-en-matrix');
  await visit(english, `${demo}/overleg`, 'structure-en-overleg');
  await visit(english, `${demo}/overleg/nieuw`, 'structure-en-overleg-nieuw');
  await visit(english, `${demo}/visie`, 'structure-en-visie');
  await visit(english, `${demo}/visie/bewerken`, 'structure-en-visie-bewerken');
  await visit(english, `${demo}/afspraken`, 'structure-en-afspraken');
  await visit(english, agreement, 'structure-en-afspraak');
  await visit(english, `${agreement}/vergelijk`, 'structure-en-vergelijk');
  await visit(english, `${demo}/afspraken/nieuw`, 'structure-en-afspraak-nieuw');
  await visit(english, `${demo}/vergaderingen`, 'structure-en-vergaderingen');
  await visit(english, `${demo}/vergaderingen/nieuw`, 'structure-en-vergadering-nieuw');
  await visit(english, meeting, 'structure-en-vergadering');
  await visit(english, `${meeting}/bewerken`, 'structure-en-vergadering-bewerken');
  await visit(english, '/actiepunten', 'structure-en-mijn-actiepunten');
});
