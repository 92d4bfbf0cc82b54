// Story: a self-scan of the eight working elements. The regisseur starts a round, makes
// invitation links for four groups, respondents answer anonymously on a phone (320 px) and a
// laptop (1280 px), and the results show the divergence between sectors while the small groups
// stay hidden. Every page: axe, keyboard.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, signIn, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;
let round;
const invites = {};

before(async () => {
  suite = await startSuite('scans');
});
after(async () => {
  await suite?.close();
});

step('the regisseur starts a round of the eight working elements', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await visit(page, `${demo}/scans`, 'scans-leeg');
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="sjabloon=werkzame_elementen"]').click()]);
  await checkPage(page, 'scans-nieuw');
  await submitForm(page, { title: 'Najaarsscan 2026' }, { expectPath: new RegExp(`^${demo}/scans/\\d+$`) });
  round = pathOf(page);
  await checkPage(page, 'scans-ronde');
});

step('links for four groups, each starting with its sector', async () => {
  for (const [label, sector, count] of [
    ['Gemeente', 'gemeente', 5],
    ['Opvang', 'kinderopvang', 5],
    ['Scholen', 'primair_onderwijs', 2],
    ['Jeugdhulp', 'jeugdhulp', 3],
  ]) {
    await submitForm(page, { label, sector, count: String(count) }, { expectPath: new RegExp(`^${round}$`) });
    const rows = page.locator('#main table tbody tr', { hasText: label });
    invites[sector] = await rows.locator('a.rg-invite').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    assert.equal(invites[sector].length, count);
  }
});

async function answer(respondent, path, sector, score, label) {
  await respondent.goto(path);
  if (label) await checkPage(respondent, label);
  assert.equal(await respondent.locator('select[name="sector"]').inputValue(), sector, 'the link starts with its sector');
  await respondent.locator('select[name="level"]').selectOption('uitvoering');
  for (const q of ['e1_1', 'e1_2', 'e2_1', 'e3_1']) {
    await respondent.locator(`input[name="q-${q}"][value="${q.startsWith('e1') ? score : 4}"]`).check();
  }
  await Promise.all([respondent.waitForNavigation(), respondent.locator('form.rg-questionnaire button[type="submit"]').click()]);
  assert.match(await mainText(respondent), /Bedankt/);
}

step('respondents answer anonymously, on a phone and on a laptop', async () => {
  const phone = await suite.user({ width: 320 });
  const laptop = await suite.user();
  const scores = { gemeente: 5, kinderopvang: 3, primair_onderwijs: 1, jeugdhulp: 2 };
  let first = true;
  for (const [sector, paths] of Object.entries(invites)) {
    for (const [i, path] of paths.entries()) {
      const who = i % 2 === 0 ? phone : laptop;
      await answer(who, path, sector, scores[sector], first ? (who === phone ? 'scans-vragenlijst-320' : 'scans-vragenlijst-1280') : null);
      if (first && who === phone) {
        await checkPage(phone, 'scans-bedankt-320');
      }
      first = false;
    }
  }
  await laptop.goto(invites.gemeente[1]);
  await checkPage(laptop, 'scans-vragenlijst-1280');
  // A used link answers no more.
  const again = await phone.goto(invites.gemeente[0]);
  assert.equal(again.status(), 410);
  assert.match(await mainText(phone), /al gebruikt/);
});

step('nothing is published while the round is open; closing it publishes at once', async () => {
  await visit(page, `${round}/resultaten`, 'scans-resultaten-open');
  assert.match(await mainText(page, 50_000), /Wordt gepubliceerd na sluiting van de ronde/);
  assert.doesNotMatch(await mainText(page, 50_000), /bespreken/);
  await visit(page, round, 'scans-ronde-open');
  await Promise.all([page.waitForNavigation(), page.locator('#main form[action$="/sluiten"] button[type="submit"]').click()]);
  assert.equal(pathOf(page), round);
  assert.equal(await page.locator('#main form[action$="/sluiten"]').count(), 0, 'a closed round cannot be closed again');
});

step('the results show the divergence between sectors and hide the small groups', async () => {
  await visit(page, `${round}/resultaten`, 'scans-resultaten');
  const text = await mainText(page, 50_000);
  assert.match(text, /Verborgen, want te weinig antwoorden: jeugdhulp, primair onderwijs/);
  assert.match(text, /bespreken/);
  assert.equal(await page.locator('svg[role="img"] title').count(), 1, 'the radar has a title');
  const header = await page.locator('#main table').first().locator('thead').innerText();
  assert.match(header, /gemeente/);
  assert.doesNotMatch(header, /primair onderwijs/);
  await visit(page, `${round}/resultaten?groep=sector:primair_onderwijs`, 'scans-resultaten-klein');
  assert.match(await mainText(page, 50_000), /Niet getoond: te klein aantal deelnemers/);
  const phone = await suite.user({ width: 320 });
  await signIn(phone, ACCOUNTS.regisseur);
  await visit(phone, `${round}/resultaten`, 'scans-resultaten-320');
});

step('the demo round shows where sectors see the shared vision differently', async () => {
  await visit(page, `${demo}/scans`, 'scans-lijst');
  await Promise.all([page.waitForNavigation(), page.locator('#main a', { hasText: 'Nulmeting najaar 2026' }).click()]);
  await Promise.all([page.waitForNavigation(), page.locator('#main a[href$="/resultaten"]').click()]);
  await checkPage(page, 'scans-demo-resultaten');
  const text = await mainText(page, 50_000);
  assert.match(text, /Verborgen, want te weinig antwoorden: jeugdhulp, voortgezet onderwijs/);
  assert.match(text, /bespreken/);
});

step('the same pages pass in English', async () => {
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  await visit(english, `${demo}/scans`, 'scans-en-lijst');
  await visit(english, `${demo}/scans/nieuw?sjabloon=perspectiefwisseling`, 'scans-en-nieuw');
  await visit(english, round, 'scans-en-ronde');
  await visit(english, `${round}/resultaten`, 'scans-en-resultaten');
});
