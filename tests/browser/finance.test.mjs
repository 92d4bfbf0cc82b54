// Story: the finances. The regisseur opens Financiën from the navigation, records what three
// partners contribute for two years (money, and hours at an hourly rate), sees a refused amount
// come back in Dutch with the field marked, reads the totals per year, partner and source as
// tables and as a drawing with the same numbers, revises a contribution and finds both versions,
// and downloads the CSV. A lid may only propose; a lezer reads without forms. Every page: axe,
// at 320, 768 and 1280 px, in Dutch and English.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, signIn, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;
let contribution;

before(async () => {
  suite = await startSuite('finance');
});
after(async () => {
  await suite?.close();
});

step('the regisseur opens the finances from the navigation', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await visit(page, demo, 'finance-overzicht-samenwerking');
  await Promise.all([page.waitForNavigation(), page.locator('nav.rg-collabnav a', { hasText: 'Financiën' }).click()]);
  assert.equal(pathOf(page), `${demo}/financien`);
  await checkPage(page, 'finance-financien-begin');
  assert.equal(await page.locator('nav.rg-collabnav a[aria-current="page"]').innerText(), 'Financiën');
});

step('a negative amount is refused in Dutch, the field marked and the form kept', async () => {
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Bijdrage vastleggen' }).click()]);
  await checkPage(page, 'finance-bijdrage-nieuw');
  await submitForm(page, { partner: { text: 'Gemeente Lindeveen' }, year: '2031', source: 'jeugdwet', amount: '-12.500', hourly_rate: '80' });
  await checkPage(page, 'finance-bijdrage-fout', { keyboard: false });
  const alert = await page.locator('.rg-alert').innerText();
  assert.match(alert, /Bedrag: Een waarde kan niet negatief zijn/);
  assert.match(alert, /Uurtarief: Een uurtarief hoort bij uren/);
  assert.equal(await page.locator('#f-amount').inputValue(), '-12.500', 'what was typed stays');
  assert.equal(await page.locator('#f-amount').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#f-year').inputValue(), '2031');
});

step('three partners contribute for two years, in money and in hours', async () => {
  const rows = [
    { partner: 'Gemeente Lindeveen', year: '2031', source: 'jeugdwet', amount: '120.000', status: 'toegezegd' },
    { partner: 'Gemeente Lindeveen', year: '2032', source: 'jeugdwet', amount: '125.000,50', status: 'indicatief' },
    { partner: 'Stichting Primair Onderwijs Lindeveen', year: '2031', source: 'onderwijsbudget', amount: '60.000', status: 'toegezegd' },
    { partner: 'Stichting Primair Onderwijs Lindeveen', year: '2032', source: 'onderwijsbudget', amount: '60.000', status: 'indicatief' },
    { partner: 'Welzijn Lindeveen', year: '2031', source: 'subsidie', hours: '200', hourly_rate: '75', status: 'toegezegd' },
    { partner: 'Welzijn Lindeveen', year: '2032', source: 'overig', source_other: 'Eigen fondsenwerving', hours: '100', hourly_rate: '75', status: 'indicatief' },
  ];
  for (const row of rows) {
    await page.goto(`${demo}/financien/bijdragen/nieuw`);
    const { partner, ...rest } = row;
    await submitForm(page, { partner: { text: partner }, ...rest }, { expectPath: new RegExp(`^${demo}/financien/bijdragen/\\d+$`) });
  }
  contribution = pathOf(page);
  await checkPage(page, 'finance-bijdrage');
  assert.match(await mainText(page, 50_000), /Overig: Eigen fondsenwerving/);
});

step('the totals per year, partner and source show in euros, the drawing with the same numbers', async () => {
  await visit(page, `${demo}/financien`, 'finance-financien-1280');
  const text = await mainText(page, 100_000);
  // 2031: 120.000 + 60.000 + 200 × 75 = 195.000; 2032: 125.000,50 + 60.000 + 100 × 75 = 192.500,50.
  const year = (y) => page.locator('#main table', { has: page.locator('caption', { hasText: 'Totaal per jaar' }) }).locator('tr', { has: page.locator('th', { hasText: y }) });
  assert.match(await year('2031').innerText(), /€ 195\.000,00/);
  assert.match(await year('2031').innerText(), /€ 15\.000,00/, 'the hours at their rate');
  assert.match(await year('2032').innerText(), /€ 192\.500,50/);
  assert.match(text, /Onderwijsbudget of samenwerkingsverband/);
  const svg = page.locator('svg.rg-moneychart[role="img"][aria-labelledby="chart-title chart-desc"]');
  assert.equal(await svg.locator('title').count(), 1);
  const desc = await svg.locator('desc').textContent();
  assert.match(desc, /2031: € 195\.000,00 \(waarvan toegezegd of vastgelegd € 195\.000,00\)/);
  assert.match(desc, /2032: € 192\.500,50 \(waarvan toegezegd of vastgelegd € 0,00\)/);
  const labels = await svg.locator('text').allTextContents();
  assert.ok(labels.includes('€ 195.000,00') && labels.includes('€ 192.500,50'), labels.join(' | '));
  for (const width of [320, 768]) {
    const other = await suite.user({ width });
    await signIn(other, ACCOUNTS.regisseur);
    await visit(other, `${demo}/financien`, `finance-financien-${width}`);
    const overflow = await other.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page itself does not scroll sideways at ${width} px (${overflow} px)`);
    await visit(other, `${demo}/financien/bijdragen/nieuw`, `finance-bijdrage-nieuw-${width}`);
  }
});

step('a contribution revised keeps its original version', async () => {
  await visit(page, `${contribution}/bewerken`, 'finance-bijdrage-bewerken');
  await submitForm(page, { hours: '120' }, { expectPath: new RegExp(`^${contribution}$`) });
  await checkPage(page, 'finance-bijdrage-versies');
  const versions = page.locator('#main table', { has: page.locator('caption', { hasText: 'Alle versies' }) }).locator('tbody tr');
  assert.equal(await versions.count(), 2);
  assert.match(await versions.nth(0).innerText(), /Uren/);
  assert.match(await versions.nth(1).innerText(), /Oorspronkelijke versie/);
});

step('the CSV export uses semicolons and decimal commas', async () => {
  const response = await page.request.get(`${demo}/financien/export.csv`);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'], /text\/csv/);
  const csv = await response.text();
  assert.match(csv, /"Gemeente Lindeveen";"2032";"Jeugdwet";"Indicatief";125000,50;;;125000,50/);
  const xlsx = await page.request.get(`${demo}/financien/export.xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
});

step('a lid proposes but cannot promise; a lezer reads without forms', async () => {
  const member = await suite.user();
  await signIn(member, ACCOUNTS.lid);
  await visit(member, `${demo}/financien/bijdragen/nieuw`, 'finance-lid-nieuw');
  const statuses = await member.locator('#f-status option').allTextContents();
  assert.deepEqual(statuses, ['Indicatief'], 'a lid sees only the status it may choose');
  const reader = await suite.user();
  await signIn(reader, ACCOUNTS.lezer);
  await visit(reader, `${demo}/financien`, 'finance-lezer');
  assert.equal(await reader.locator('#main a', { hasText: 'Bijdrage vastleggen' }).count(), 0);
  await visit(reader, contribution, 'finance-lezer-bijdrage');
  assert.equal(await reader.locator('#main a', { hasText: 'Bijdrage wijzigen' }).count(), 0);
});

step("the start page warns that the handover talks' funding ends while the work goes on", async () => {
  await visit(page, demo, 'finance-startpagina-waarschuwing');
  const notice = page.locator('.rg-notice', { hasText: 'Financiering van lopend werk vraagt aandacht' });
  assert.equal(await notice.count(), 1);
  assert.match(await notice.innerText(), /Overdrachtsgesprekken met ouders aan tafel: de financiering loopt tot/);
});

step('the demo pot shows its split, and a spend beyond it is refused in Dutch', async () => {
  await visit(page, `${demo}/financien`, 'finance-financien-potten');
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Steunstructuur 0-12' }).click()]);
  await checkPage(page, 'finance-pot');
  const text = await mainText(page, 50_000);
  assert.match(text, /Gemeente Lindeveen\s+66,67 %\s+€ 160\.008,00/);
  assert.match(text, /Stichting Primair Onderwijs Lindeveen\s+33,33 %\s+€ 79\.992,00/);
  const pot = pathOf(page);
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Uitgave boeken' }).click()]);
  await checkPage(page, 'finance-uitgave-nieuw');
  const today = new Date().toISOString().slice(0, 10);
  await submitForm(page, { activity: { text: 'Overdrachtsgesprekken' }, date: today, amount: '1.000.000', description: 'Te veel' });
  await checkPage(page, 'finance-uitgave-fout', { keyboard: false });
  assert.match(await page.locator('.rg-alert').innerText(), /Bedrag: Deze uitgave komt € [\d.]+,\d\d boven het beschikbare geld in de pot/);
  assert.equal(await page.locator('#f-amount').inputValue(), '1.000.000');
  await submitForm(page, { amount: '1.500' }, { expectPath: new RegExp(`^${pot}$`) });
  assert.match(await mainText(page, 50_000), /€ 1\.500,00, Overdrachtsgesprekken met ouders aan tafel \(Te veel\)/);
});

step('a new pot whose split does not add up is refused with the split kept', async () => {
  await visit(page, `${demo}/financien/potten/nieuw`, 'finance-pot-nieuw');
  await page.locator('#f-name').fill('Doorgaande lijn 10-14');
  await page.locator('#f-starts').fill('2031-01-01');
  await page.locator('#f-ends').fill('2032-12-31');
  await page.getByLabel('Gemeente Lindeveen (%)').fill('60');
  await page.getByLabel('Lindeveen College (%)').fill('30');
  await Promise.all([page.waitForNavigation(), page.locator('#main button[type="submit"]').click()]);
  await checkPage(page, 'finance-pot-fout', { keyboard: false });
  assert.match(await page.locator('.rg-alert').innerText(), /Verdeling over de partners: De aandelen tellen op tot 90 %/);
  assert.equal(await page.getByLabel('Lindeveen College (%)').inputValue(), '30');
  await page.getByLabel('Lindeveen College (%)').fill('40');
  await Promise.all([page.waitForNavigation(), page.locator('#main button[type="submit"]').click()]);
  assert.match(pathOf(page), new RegExp(`^${demo}/financien/potten/\\d+$`));
  await checkPage(page, 'finance-pot-nieuw-opgeslagen');
  for (const width of [320, 768]) {
    const other = await suite.user({ width });
    await signIn(other, ACCOUNTS.regisseur);
    await visit(other, pathOf(page), `finance-pot-${width}`);
  }
});

step('a breakthrough decision above the maximum is refused without a second mandate holder', async () => {
  await visit(page, `${demo}/financien`, 'finance-financien-doorbraak');
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Doorbraakbudget jeugd' }).first().click()]);
  await checkPage(page, 'finance-doorbraakbudget');
  const budget = pathOf(page);
  let text = await mainText(page, 80_000);
  assert.match(text, /Mandaathouders nu\s+Fatima El Amrani, Lotte Visser/);
  assert.match(text, /Maximum per besluit zonder tweede mandaathouder\s+€ 2\.500,00/);
  assert.match(text, /Ingezet via besluiten\s+€ 5\.950,00/);
  assert.match(text, /€ 3\.200,00 \(Boven maximum, met tweede houder\)\s+Lotte Visser en Fatima El Amrani/);
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Besluit vastleggen' }).click()]);
  await checkPage(page, 'finance-besluit-nieuw');
  await submitForm(page, {
    amount: '3.000',
    holder: { text: 'Lotte Visser' },
    stall: ['wachtlijst', 'vervoer'],
    situation: 'Vervoer naar een passende school buiten de gemeente tot de indicatie rond is.',
    outcome: 'loopt',
  });
  await checkPage(page, 'finance-besluit-fout', { keyboard: false });
  assert.match(await page.locator('.rg-alert').innerText(), /Tweede mandaathouder: Dit bedrag ligt boven het maximum van € 2\.500,00 per besluit/);
  assert.equal(await page.locator('#f-amount').inputValue(), '3.000', 'what was typed stays');
  await submitForm(page, { second_holder: { text: 'Fatima El Amrani' } }, { expectPath: new RegExp(`^${budget}$`) });
  text = await mainText(page, 80_000);
  assert.match(text, /Ingezet via besluiten\s+€ 8\.950,00/);
  assert.match(text, /Vervoer naar een passende school buiten de gemeente tot de indicatie rond is\./);
  for (const width of [320, 768]) {
    const other = await suite.user({ width });
    await signIn(other, ACCOUNTS.regisseur);
    await visit(other, budget, `finance-doorbraakbudget-${width}`);
  }
});

step('five years of committed money, and the warning on the agenda of the body that owns the convenant', async () => {
  await visit(page, `${demo}/financien`, 'finance-vijf-jaar');
  const section = page.locator('section[aria-labelledby="continuiteit"]');
  const table = await section.innerText();
  assert.match(table, /De komende vijf jaar/);
  assert.match(table, /Toegezegd of vastgelegd/);
  assert.match(table, /binnen 12 maanden/);
  const year = new Date().getFullYear();
  for (const y of [year, year + 4]) assert.match(table, new RegExp(String(y)));
  // The drawing carries the same totals as the table's row.
  const desc = await page.locator('#years-desc').textContent();
  const cells = await section.locator('tbody tr').filter({ hasText: 'Toegezegd of vastgelegd' }).locator('td').allInnerTexts();
  assert.equal(cells.length, 5, 'one total per year');
  for (const cell of cells) assert.ok(desc.includes(cell.trim()), `${cell} in ${desc}`);
  await visit(page, `${demo}/vergaderingen`, 'finance-vergaderingen');
  const row = page.locator('#main tbody tr', { hasText: 'LEA Lindeveen' }).last();
  await Promise.all([page.waitForNavigation(), row.locator('a').first().click()]);
  await checkPage(page, 'finance-agenda-lea');
  const notice = await page.locator('#financiering').innerText();
  assert.match(notice, /Financiering vraagt aandacht/);
  assert.match(notice, /Overdrachtsgesprekken/);
});

step('the same pages pass in English', async () => {
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  await visit(english, `${demo}/financien`, 'finance-en-financien');
  assert.match(await mainText(english, 100_000), /€195,000\.00/);
  await visit(english, contribution, 'finance-en-bijdrage');
  await visit(english, `${demo}/financien/bijdragen/nieuw`, 'finance-en-bijdrage-nieuw');
  await visit(english, `${demo}/financien/potten/nieuw`, 'finance-en-pot-nieuw');
  await visit(english, demo, 'finance-en-startpagina');
});
