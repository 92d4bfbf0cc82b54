// Story: the journey and its knowledge. The regisseur opens the travel plan, marks steps and
// answers a reflection question, searches the practice examples in Dutch and filters by 12+,
// and raises an obstacle; a second collaboration recognises it; the national reader sees it
// counted and answers; the regisseur reads the answer. Every page: axe, in nl and en.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, signIn, signOut, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;
let second;
let obstacle;

before(async () => {
  suite = await startSuite('journey');
});
after(async () => {
  await suite?.close();
});

async function collaborationPath(p, name) {
  const link = p.locator('#main a[href^="/samenwerkingen/"]', { hasText: name });
  assert.ok((await link.count()) > 0, `no link to "${name}" on the home page:\n${await mainText(p)}`);
  return new URL(await link.first().evaluate((a) => a.href)).pathname;
}

step('the administrator prepares a second collaboration and a national reader', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.admin);
  await visit(page, '/samenwerkingen/nieuw', 'journey-admin-nieuw');
  await submitForm(
    page,
    { name: 'Jeugd Veenstreek', scale: 'regio', age_focus: '12+', area_codes: 'GM0344', area_year: '2024', beheerder_email: ACCOUNTS.lid },
    { expectPath: /^\/$/ },
  );
  assert.match(await mainText(page), /Jeugd Veenstreek/, 'the home page confirms the new collaboration');
  await visit(page, '/beheer/gebruikers', 'journey-admin-gebruikers');
  const button = page.locator('form[action$="/landelijk"] button', { hasText: 'Wethouder Jansen' });
  assert.equal(await button.count(), 1, 'a button to make the lezer a national reader');
  await Promise.all([page.waitForNavigation(), button.click()]);
  await signOut(page);
});

step('the regisseur marks steps and answers a reflection question', async () => {
  await signIn(page, ACCOUNTS.regisseur);
  demo = await collaborationPath(page, DEMO_COLLABORATION);
  await visit(page, `${demo}/reis`, 'journey-reis');
  assert.equal(await page.locator('progress').count(), 9, 'one progress bar per theme');
  // Steps whose work is in Reisgenoot count as done already; mark one that is still open.
  const doneBefore = Number((await mainText(page, 20_000)).match(/(\d+) van \d+ stappen gedaan/)[1]);
  await visit(page, `${demo}/reis/2`, 'journey-thema-2');
  const name = await page.evaluate(() =>
    [...document.querySelectorAll('select[name^="status-"]')].find((s) => s.value === 'volgens_werk' && s.selectedOptions[0].text.startsWith('Nog niet'))?.name,
  );
  assert.ok(name, 'theme 2 has a step that is still open');
  await submitForm(page, { [name]: 'gedaan' }, { expectPath: new RegExp(`^${demo}/reis/2$`) });
  assert.equal(await page.locator(`select[name="${name}"]`).inputValue(), 'gedaan');
  const answer = 'Wij merken dat de kinderopvang nog niet aan tafel zit; dat pakken we op.';
  await submitForm(page, { answer }, { expectPath: new RegExp(`^${demo}/reis/2$`) });
  assert.match(await mainText(page, 20_000), /kinderopvang nog niet aan tafel/);
  // The answer's page opens at the question (#vraag-…), so focus starts there, not at the skip link.
  await checkPage(page, 'journey-thema-2-beantwoord', { keyboard: false });
  await visit(page, `${demo}/reis`, 'journey-reis-na');
  const doneAfter = Number((await mainText(page, 20_000)).match(/(\d+) van \d+ stappen gedaan/)[1]);
  assert.equal(doneAfter, doneBefore + 1, 'the step marked by hand counts once more');
});

step('the regisseur searches the examples in Dutch and filters by 12+', async () => {
  await visit(page, `${demo}/voorbeelden?q=jongerenwerkers+op+school`, 'journey-voorbeelden-zoeken');
  assert.match(await mainText(page, 20_000), /Bosch/, 'the Den Bosch example is found');
  await visit(page, `${demo}/voorbeelden`, 'journey-voorbeelden');
  await submitForm(page, { q: 'collectieve financiering', leeftijd: '' });
  const text = await mainText(page, 20_000);
  assert.match(text, /Tilburg/);
  assert.match(text, /Leeuwarden/);
  await submitForm(page, { q: '', leeftijd: '12+' });
  assert.match(page.url(), /leeftijd=12%2B/);
  await checkPage(page, 'journey-voorbeelden-12plus');
  const example = page.locator('#main .rg-card a').first();
  await Promise.all([page.waitForNavigation(), example.click()]);
  await checkPage(page, 'journey-voorbeeld');
});

step('the regisseur raises an obstacle', async () => {
  await visit(page, `${demo}/knelpunten`, 'journey-knelpunten');
  await visit(page, `${demo}/knelpunten/nieuw`, 'journey-knelpunt-nieuw');
  await submitForm(
    page,
    {
      category: 'financiering',
      title: 'Geen structureel geld voor de brugfunctionaris',
      description: 'Elk jaar opnieuw zoeken wie het betaalt.',
      effect: 'Ouders weten niet of de vaste contactpersoon blijft.',
    },
    { expectPath: new RegExp(`^${demo}/knelpunten/\\d+$`) },
  );
  obstacle = pathOf(page).split('/').pop();
  await checkPage(page, 'journey-knelpunt');
  await signOut(page);
});

step('another collaboration recognises it', async () => {
  await signIn(page, ACCOUNTS.lid);
  second = await collaborationPath(page, 'Jeugd Veenstreek');
  await visit(page, `${second}/knelpunten/${obstacle}`, 'journey-knelpunt-ander');
  await submitForm(page, { context: 'Bij ons speelt hetzelfde in het voortgezet onderwijs.' }, { expectPath: new RegExp(`/knelpunten/${obstacle}$`) });
  assert.match(await mainText(page, 20_000), /Jeugd Veenstreek/);
  await checkPage(page, 'journey-knelpunt-herkend');
  await signOut(page);
});

step('the national reader sees it counted and answers', async () => {
  await signIn(page, ACCOUNTS.lezer);
  await visit(page, '/landelijk', 'journey-landelijk');
  const row = page.locator('#main tr', { hasText: 'brugfunctionaris' });
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /\b2\b/, 'raised by one and recognised by another: two collaborations');
  await visit(page, `/landelijk/knelpunten/${obstacle}`, 'journey-landelijk-knelpunt');
  await submitForm(page, { status: 'geagendeerd', response: 'Staat op de agenda van de regiotafel in maart.' }, { expectPath: new RegExp(`/landelijk/knelpunten/${obstacle}$`) });
  await signOut(page);
});

step('the regisseur reads the answer, and the pages pass in English', async () => {
  await signIn(page, ACCOUNTS.regisseur);
  await visit(page, `${demo}/knelpunten/${obstacle}`, 'journey-knelpunt-antwoord');
  assert.match(await mainText(page, 20_000), /regiotafel in maart/);
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  for (const [path, label] of [
    [`${demo}/reis`, 'journey-en-reis'],
    [`${demo}/reis/7`, 'journey-en-thema-7'],
    [`${demo}/voorbeelden?q=school&leeftijd=12%2B`, 'journey-en-voorbeelden'],
    [`${demo}/voorbeelden/nieuw`, 'journey-en-voorbeeld-nieuw'],
    [`${demo}/knelpunten`, 'journey-en-knelpunten'],
    [`${demo}/knelpunten/${obstacle}`, 'journey-en-knelpunt'],
  ]) {
    await visit(english, path, label);
  }
});
