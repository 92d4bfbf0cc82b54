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

step('the same pages pass in English', async () => {
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  await visit(english, '/wettelijk-kader?leeftijd=zwangerschap', 'structure-en-legal');
  await visit(english, `${demo}/verantwoordelijkheden`, 'structure-en-matrix');
});
