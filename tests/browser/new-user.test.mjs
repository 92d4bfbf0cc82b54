// Story: a new regisseur's first steps. The administrator creates a collaboration whose first
// beheerder has no account yet; the confirmation shows the invitation link to pass on. The
// regisseur follows it, chooses a password, lands on the collaboration and reads what to do
// next; the menu follows the guide's five stages and stays compact on a phone. Every page:
// axe, at 320, 768 and 1280 px.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ACCOUNTS, checkPage, goto, mainText, pathOf, signIn, signOut, startSuite, steps, submitForm, visit } from './lib.mjs';

const step = steps();
let suite;
let admin;
let regisseur;
let link;
let overview;

const NEW = {
  name: 'Samen Opgroeien Veenstad',
  scale: 'gemeente',
  age_focus: 'beide',
  area_codes: 'GM0344',
  beheerder_email: 'noor.nieuw@veenstad.example',
  beheerder_name: 'Noor Nieuw',
};
const PASSWORD = 'lange zomeravond aan de Vecht 2026';

before(async () => {
  suite = await startSuite('new-user');
});
after(async () => {
  await suite?.close();
});

step('the administrator creates a collaboration and invites its first beheerder', async () => {
  admin = await suite.user();
  await signIn(admin, ACCOUNTS.admin, { check: 'new-user-admin' });
  await visit(admin, '/samenwerkingen/nieuw', 'new-user-nieuw');
  assert.equal(await admin.locator('[name="area_year"]').inputValue(), '2024', 'the newest built-in classification year');
  await submitForm(admin, NEW, { expectPath: /^\/samenwerkingen$/ });
  await checkPage(admin, 'new-user-bevestiging');
  const text = await mainText(admin, 4000);
  assert.match(text, /Samen Opgroeien Veenstad/);
  assert.match(text, /Noor Nieuw \(noor\.nieuw@veenstad\.example\)/);
  link = (await admin.locator('#invitation-link').innerText()).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/uitnodiging\/[0-9a-f]{64}$/);
  await goto(admin, '/beheer/gebruikers');
  assert.match(await mainText(admin, 20_000), /Uitgenodigd, link werkt tot/);
  await signOut(admin);
});

step('the regisseur follows the link, chooses a password and sees the next step', async () => {
  regisseur = await suite.user();
  const path = new URL(link).pathname;
  await visit(regisseur, path, 'new-user-uitnodiging');
  assert.match(await mainText(regisseur), /Noor Nieuw/);
  await submitForm(regisseur, { password: PASSWORD, repeat: 'iets anders' }, { expectPath: new RegExp(`^${path}$`) });
  assert.match(await mainText(regisseur, 4000), /niet gelijk/);
  await checkPage(regisseur, 'new-user-uitnodiging-fout', { keyboard: false });
  await submitForm(regisseur, { password: PASSWORD, repeat: PASSWORD }, { expectPath: /^\/samenwerkingen\/\d+$/ });
  overview = pathOf(regisseur);
  const text = await mainText(regisseur, 4000);
  assert.match(text, /Volgende stap/);
  assert.match(text, /Organiseer een eerste bijeenkomst/);
  await checkPage(regisseur, 'new-user-overzicht');
  // The link worked once.
  await goto(regisseur, path, { status: 404 });
});

step('the overview and the menu at 320, 768 and 1280 px', async () => {
  for (const width of [320, 768, 1280]) {
    await regisseur.setViewportSize({ width, height: width === 320 ? 568 : 900 });
    await visit(regisseur, overview, `new-user-overzicht-${width}`);
    const wide = await regisseur.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `the page is ${wide} px wide at ${width} px`);
    const mainTop = await regisseur.evaluate(() => document.querySelector('#next-title').getBoundingClientRect().top);
    assert.ok(mainTop < (width === 320 ? 568 : 900), `the next step starts at ${mainTop} px, below the first screen at ${width} px`);
  }
  // On a phone the stages are disclosures the keyboard opens.
  await regisseur.setViewportSize({ width: 320, height: 568 });
  const partners = regisseur.locator('nav.rg-collabnav a', { hasText: 'Partners' });
  assert.equal(await partners.isVisible(), false, 'closed until its stage is opened');
  await regisseur.locator('nav.rg-collabnav summary', { hasText: 'Reisgezelschap' }).focus();
  await regisseur.keyboard.press('Enter');
  assert.equal(await partners.isVisible(), true, 'Enter opens the stage');
  await checkPage(regisseur, 'new-user-menu-open-320', { keyboard: false });
  await regisseur.setViewportSize({ width: 1280, height: 900 });
});

step('partners in place count in the travel plan with a link to them', async () => {
  await visit(regisseur, `${overview}/partners/nieuw`, 'new-user-partner-nieuw');
  await submitForm(regisseur, { name: 'Kinderopvang De Vlinder', sector: 'kinderopvang', ring: 'binnenring' });
  await visit(regisseur, `${overview}/partners/nieuw`, 'new-user-partner-nieuw-2');
  await submitForm(regisseur, { name: 'Bibliotheek Veenstad', sector: 'bibliotheek', ring: 'buitenring' });
  await visit(regisseur, `${overview}/reis/2`, 'new-user-thema-2');
  assert.match(await mainText(regisseur, 20_000), /Het werk staat in Reisgenoot/);
  const seen = regisseur.locator('.rg-seen a', { hasText: 'Bekijken' }).first();
  assert.equal(new URL(await seen.evaluate((a) => a.href)).pathname, `${overview}/partners`);
  await visit(regisseur, `${overview}/reis`, 'new-user-reis');
  assert.doesNotMatch(await mainText(regisseur, 20_000), /Samen: 0 van/);
  await signOut(regisseur);
});
