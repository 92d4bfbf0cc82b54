// Story: the execution programme. The regisseur opens the demo's programme and sees which
// activity is over time, adds an ambition with the keyboard only, a measurable goal and an
// activity with its partners, people and agreements, sets it under way with a progress note,
// and reads the timeline as a drawing and as a table, on a wide screen and on a phone (320 px).
// A lezer reads without forms. Every page: axe, nl and en.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, DEMO_COLLABORATION, checkPage, mainText, pathOf, signIn, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let page;
let demo;
let activity;

before(async () => {
  suite = await startSuite('programme');
});
after(async () => {
  await suite?.close();
});

step('the regisseur opens the programme from the navigation and sees the overdue activity', async () => {
  page = await suite.user();
  await signIn(page, ACCOUNTS.regisseur);
  const link = page.locator('#main a[href^="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  demo = new URL(await link.first().evaluate((a) => a.href)).pathname;
  await visit(page, demo, 'programme-overzicht-samenwerking');
  await Promise.all([page.waitForNavigation(), page.locator('nav.rg-collabnav a', { hasText: 'Programma' }).click()]);
  assert.equal(pathOf(page), `${demo}/programma`);
  await checkPage(page, 'programme-programma');
  const text = await mainText(page, 50_000);
  assert.match(text, /Elk kind begint goed aan school/);
  assert.match(text, /Jongeren blijven in beeld/);
  assert.equal(await page.locator('nav.rg-collabnav a[aria-current="page"]').innerText(), 'Programma');
  const flagged = page.locator('#main tr', { has: page.locator('.rg-flag', { hasText: 'over tijd' }) });
  assert.equal(await flagged.count(), 1, 'exactly one demo activity is over time');
  assert.match(await flagged.innerText(), /Huisbezoeken/);
  assert.match(await page.locator('.rg-notice').innerText(), /Huisbezoeken bij gezinnen/);
});

step('a new ambition is added with the keyboard only', async () => {
  const add = page.locator('#main a', { hasText: 'Nieuwe ambitie' });
  await add.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(pathOf(page), `${demo}/programma/ambities/nieuw`);
  await checkPage(page, 'programme-ambitie-nieuw');
  await page.locator('#f-title').focus();
  await page.keyboard.type('Ouders doen vanzelfsprekend mee');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'f-description', 'Tab moves from the title to the description');
  await page.keyboard.type('Ouders denken mee over wat er in de opvang en op school gebeurt.');
  await page.keyboard.press('Tab');
  const button = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(button, 'Opslaan', 'then to the save button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(pathOf(page), `${demo}/programma`);
  assert.match(await mainText(page, 50_000), /Ouders doen vanzelfsprekend mee/);
});

step('an empty goal is refused per field, then a measurable goal and an activity are added', async () => {
  const section = page.locator('section', { has: page.locator('h2', { hasText: 'Ouders doen vanzelfsprekend mee' }) });
  await Promise.all([page.waitForNavigation(), section.locator('a', { hasText: 'Nieuw doel' }).click()]);
  await checkPage(page, 'programme-doel-nieuw');
  await submitForm(page, { title: '' });
  await checkPage(page, 'programme-doel-fout');
  assert.match(await page.locator('.rg-alert').innerText(), /Titel: Vul dit veld in/);
  await submitForm(
    page,
    { title: 'Elke school heeft een ouderpanel', measure: 'Aantal scholen met een ouderpanel dat minstens twee keer per jaar meedenkt.', target_date: '2027-12-31' },
    { expectPath: new RegExp(`^${demo}/programma$`) },
  );
  const goal = page.locator('.rg-goal', { has: page.locator('h3', { hasText: 'Elke school heeft een ouderpanel' }) });
  await Promise.all([page.waitForNavigation(), goal.locator('a', { hasText: 'Nieuwe activiteit' }).click()]);
  await checkPage(page, 'programme-activiteit-nieuw');
  const partners = await page.locator('input[name="partners"]').evaluateAll((boxes) => boxes.slice(0, 2).map((b) => b.value));
  await submitForm(
    page,
    {
      title: 'Ouderpanels opzetten op drie scholen',
      starts: '2026-11-01',
      ends: '2027-06-30',
      steps_taken: 'Drie scholen gevraagd',
      steps_planned: 'Ouders werven via de ouderraad\nEerste bijeenkomst voor de kerst',
      partners,
      results: 'Op drie scholen een groep ouders die gevraagd en ongevraagd advies geeft.',
      trekker: { text: 'Ingrid de Vries' },
      owner: { text: 'Marieke Bos' },
      communication: 'Een oproep in de nieuwsbrief van elke school.',
      agreement: { text: 'Convenant' },
    },
    { expectPath: new RegExp(`^${demo}/programma/activiteiten/\\d+$`) },
  );
  activity = pathOf(page);
  await checkPage(page, 'programme-activiteit');
  const text = await mainText(page, 50_000);
  assert.match(text, /Eerste bijeenkomst voor de kerst/);
  assert.match(text, /Ingrid de Vries/);
  assert.match(text, /Convenant pedagogische basis Lindeveen/);
});

step('the activity is set under way with a progress note, shown newest first', async () => {
  await submitForm(page, { status: 'lopend', note: 'Twee scholen hebben al ouders gevonden.' }, { expectPath: new RegExp(`^${activity}$`) });
  await submitForm(page, { text: 'Derde school volgt in januari.' }, { expectPath: new RegExp(`^${activity}$`) });
  // The answer lands on #voortgang, where the next Tab starts; load the page afresh to check it whole.
  await visit(page, activity, 'programme-activiteit-voortgang');
  const notes = await page.locator('.rg-note').allInnerTexts();
  assert.equal(notes.length, 2);
  assert.match(notes[0], /Derde school volgt in januari/);
  assert.match(notes[1], /Twee scholen hebben al ouders gevonden/);
  assert.equal(await page.locator('#f-status').inputValue(), 'lopend');
});

step('the timeline draws one bar per activity with today, and gives the same facts as a table', async () => {
  await visit(page, `${demo}/programma/tijdlijn`, 'programme-tijdlijn-1280');
  const svg = page.locator('svg.rg-gantt[role="img"]');
  assert.equal(await svg.locator('title').count(), 1, 'the drawing has a title');
  assert.equal(await svg.locator('desc').count(), 1, 'and a description');
  const bars = await svg.locator('rect.rg-gantt__bar').count();
  assert.equal(bars, 6, 'five demo activities and the new one');
  assert.equal(await page.locator('#main table tbody tr').count(), bars, 'a table row per bar');
  assert.equal(await svg.locator('rect.rg-gantt__bar--overdue').count(), 1);
  assert.equal(await svg.locator('line.rg-gantt__today').count(), 1);
  // The drawing scrolls on its own and can be reached with the keyboard.
  assert.equal(await page.locator('.rg-chart[tabindex="0"][role="region"]').count(), 1);
  const phone = await suite.user({ width: 320 });
  await signIn(phone, ACCOUNTS.regisseur);
  await visit(phone, `${demo}/programma/tijdlijn`, 'programme-tijdlijn-320');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways at 320 px (${overflow} px)`);
  await visit(phone, `${demo}/programma`, 'programme-programma-320');
});

step('a lezer reads the programme and an activity without forms', async () => {
  const reader = await suite.user();
  await signIn(reader, ACCOUNTS.lezer);
  await visit(reader, `${demo}/programma`, 'programme-programma-lezer');
  assert.equal(await reader.locator('#main a', { hasText: 'Nieuwe ambitie' }).count(), 0);
  await visit(reader, activity, 'programme-activiteit-lezer');
  assert.equal(await reader.locator('#main form').count(), 0);
});

step('the same pages pass in English', async () => {
  const english = await suite.user({ lang: 'en' });
  await signIn(english, ACCOUNTS.regisseur);
  await visit(english, `${demo}/programma`, 'programme-en-programma');
  assert.match(await mainText(english, 50_000), /overdue/);
  await visit(english, activity, 'programme-en-activiteit');
  await visit(english, `${demo}/programma/tijdlijn`, 'programme-en-tijdlijn');
  await visit(english, `${activity}/bewerken`, 'programme-en-activiteit-bewerken');
});
