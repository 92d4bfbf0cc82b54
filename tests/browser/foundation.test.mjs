// Story: an instance administrator sets up the second factor, starts a collaboration and
// hands it to its first beheerder, who maps the partners, the people and a portfolio. Every
// page on the way, in Dutch and in English, passes axe and starts with a skip link.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  ACCOUNTS,
  DEMO_PASSWORD,
  checkPage,
  expectLangFromNowOn,
  goto,
  hotp,
  linksIn,
  mainText,
  pathOf,
  setLang,
  signIn,
  signOut,
  startSuite,
  steps,
  submitForm,
  totpSecretOf,
  totpStep,
  visit,
} from './lib.mjs';

const step = steps();
let suite;
let admin;
let regisseur;
let id;
const editPages = {};

const COLLABORATION = {
  name: 'Kansrijk Opgroeien Noorderpark',
  description: 'Partners in de wijk Noorderpark bouwen samen aan de pedagogische basis voor kinderen en jongeren.',
  scale: 'wijk',
  age_focus: 'beide',
  area_codes: 'GM0363 WK0363AA',
  area_year: '2024',
  beheerder_email: ACCOUNTS.regisseur,
};
const PARTNER_INNER = {
  name: 'Kinderopvang De Vlinder',
  sector: 'kinderopvang',
  ring: 'binnenring',
  description: 'Dagopvang en buitenschoolse opvang in Noorderpark.',
};
const PARTNER_OUTER = {
  name: 'Bibliotheek Noorderpark',
  sector: 'bibliotheek',
  ring: 'buitenring',
  description: 'Voorleesprogramma en taalcafé voor ouders.',
};
const PERSON = {
  name: 'Fatima El Amrani',
  email: 'fatima.elamrani@devlinder.example',
  function: 'Pedagogisch coach',
};
const PORTFOLIO = {
  name: 'Taal en lezen',
  mandate: 'Spreekt namens de samenwerking af met scholen en opvang over voorlezen.',
  expectations: 'Brengt elk kwartaal de stand van zaken in.',
};

before(async () => {
  suite = await startSuite('foundation');
});
after(async () => {
  await suite?.close();
});

const base = () => `/samenwerkingen/${id}`;

step('the administrator signs in and sets up the second factor', async () => {
  admin = await suite.user();
  await signIn(admin, ACCOUNTS.admin, { check: 'beheer-nl' });
});

step('the administrator creates a collaboration with a first beheerder', async () => {
  await visit(admin, '/samenwerkingen/nieuw', 'beheer-nl-samenwerking-nieuw');
  // An administrator who is not a member of the new collaboration is sent home; a member
  // would be sent to the collaboration.
  await submitForm(admin, COLLABORATION, { expectPath: /^\/(samenwerkingen\/[^/]+)?$/ });
  await checkPage(admin, 'beheer-nl-na-aanmaken');
});

step('the administrator pages, in Dutch and English, then sign-out', async (t) => {
  const pages = [
    ['/', 'start'],
    ['/beheer/gebruikers', 'gebruikers'],
    ['/samenwerkingen/nieuw', 'samenwerking-nieuw'],
    ['/account', 'account'],
    ['/account/tokens', 'tokens'],
  ];
  for (const lang of ['nl', 'en']) {
    await setLang(admin, lang);
    for (const [urlPath, name] of pages) {
      await t.test(`${lang} ${urlPath}`, async () => visit(admin, urlPath, `beheer-${lang}-${name}`));
    }
  }
  await goto(admin, '/beheer/gebruikers');
  assert.ok((await mainText(admin, 20_000)).includes(ACCOUNTS.regisseur), 'the user list shows the demo accounts');
  await setLang(admin, 'nl');
  await goto(admin, '/');
  await signOut(admin);
});

step('the administrator signs in again with a code from the app; a wrong code is refused', async () => {
  await goto(admin, '/inloggen');
  await submitForm(admin, { email: ACCOUNTS.admin, password: DEMO_PASSWORD }, { expectPath: /^\/inloggen\/code$/ });
  await checkPage(admin, 'beheer-nl-code');
  const secret = totpSecretOf(ACCOUNTS.admin);
  const now = totpStep();
  const valid = [-1, 0, 1, 2].map((d) => hotp(secret, now + d));
  const wrong = ['000000', '111111', '222222', '333333', '444444'].find((c) => !valid.includes(c));
  await submitForm(admin, { code: wrong });
  assert.notEqual(pathOf(admin), '/', 'a wrong code must not sign in');
  await checkPage(admin, 'beheer-nl-code-fout');
  await signIn(admin, ACCOUNTS.admin);
  await signOut(admin);
});

step('the new beheerder signs in and finds the collaboration', async () => {
  regisseur = await suite.user();
  await signIn(regisseur, ACCOUNTS.regisseur, { check: 'regisseur-nl' });
  const link = regisseur.locator('#main a[href*="/samenwerkingen/"]', { hasText: COLLABORATION.name });
  assert.equal(await link.count(), 1, `the home page links to "${COLLABORATION.name}":\n${await mainText(regisseur)}`);
  await Promise.all([regisseur.waitForNavigation(), link.click()]);
  assert.match(pathOf(regisseur), /^\/samenwerkingen\/[^/]+$/);
  id = pathOf(regisseur).split('/')[2];
  const text = await mainText(regisseur, 20_000);
  assert.ok(text.includes(COLLABORATION.name), 'the overview names the collaboration');
  assert.ok(text.includes('Wie missen we nog?'), `the overview has the section "Wie missen we nog?":\n${text}`);
  assert.ok(text.includes('WK0363AA'), `the overview shows the area codes:\n${text}`);
  await checkPage(regisseur, 'nl-overzicht');
});

step('partners: a failed form explains itself, then two partners are added', async () => {
  await goto(regisseur, `${base()}/partners`);
  const newLinks = await linksIn(regisseur);
  assert.ok(newLinks.includes(`${base()}/partners/nieuw`), 'the partner list links to the new-partner form');
  await visit(regisseur, `${base()}/partners/nieuw`, 'nl-partner-nieuw');

  // An empty name is refused; the form comes back with the error, still accessible.
  await submitForm(regisseur, { ...PARTNER_INNER, name: '' });
  assert.equal(await regisseur.locator('form [name="name"]').count(), 1, `an empty name should bring the form back, at ${pathOf(regisseur)}`);
  await checkPage(regisseur, 'nl-partner-nieuw-fout');

  await goto(regisseur, `${base()}/partners/nieuw`);
  await submitForm(regisseur, PARTNER_INNER, { expectPath: /^\/samenwerkingen\/[^/]+\/partners(\/.*)?$/ });
  await goto(regisseur, `${base()}/partners/nieuw`);
  await submitForm(regisseur, PARTNER_OUTER, { expectPath: /^\/samenwerkingen\/[^/]+\/partners(\/.*)?$/ });
  await goto(regisseur, `${base()}/partners`);
  const text = await mainText(regisseur, 20_000);
  assert.ok(text.includes(PARTNER_INNER.name), `the list shows ${PARTNER_INNER.name}:\n${text}`);
  assert.ok(text.includes(PARTNER_OUTER.name), `the list shows ${PARTNER_OUTER.name}:\n${text}`);
  editPages.partner = await findEditPage(regisseur, 'partners');
});

step('people: an ambassadeur linked to a partner', async () => {
  await visit(regisseur, `${base()}/personen/nieuw`, 'nl-persoon-nieuw');
  await submitForm(
    regisseur,
    { ...PERSON, partner_id: { text: PARTNER_INNER.name }, roles: ['ambassadeur'] },
    { expectPath: /^\/samenwerkingen\/[^/]+\/personen(\/.*)?$/ },
  );
  await goto(regisseur, `${base()}/personen`);
  const text = await mainText(regisseur, 20_000);
  assert.ok(text.includes(PERSON.name), `the list shows ${PERSON.name}:\n${text}`);
  editPages.person = await findEditPage(regisseur, 'personen');
  await goto(regisseur, editPages.person);
  const checked = await regisseur.locator('[name="roles"]:checked').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(checked, ['ambassadeur'], 'the edit form shows the role that was saved');
  const partner = await regisseur.locator('select[name="partner_id"] option:checked').innerText();
  assert.ok(partner.includes(PARTNER_INNER.name), `the edit form shows the partner that was saved, not ${partner}`);
});

step('portfolios: one held by the ambassadeur', async () => {
  await visit(regisseur, `${base()}/portefeuilles/nieuw`, 'nl-portefeuille-nieuw');
  await submitForm(
    regisseur,
    { ...PORTFOLIO, holder_id: { text: PERSON.name } },
    { expectPath: /^\/samenwerkingen\/[^/]+\/portefeuilles(\/.*)?$/ },
  );
  await goto(regisseur, `${base()}/portefeuilles`);
  const text = await mainText(regisseur, 20_000);
  assert.ok(text.includes(PORTFOLIO.name), `the list shows ${PORTFOLIO.name}:\n${text}`);
  assert.ok(text.includes(PERSON.name), `the list shows the holder ${PERSON.name}:\n${text}`);
  editPages.portfolio = await findEditPage(regisseur, 'portefeuilles');
});

const collaborationPages = () => [
  [base(), 'overzicht'],
  [`${base()}/partners`, 'partners'],
  [`${base()}/partners/nieuw`, 'partner-nieuw'],
  [editPages.partner, 'partner-bewerken'],
  [editPages.partner.replace(/\/bewerken$/, '/verwijderen'), 'partner-verwijderen'],
  [`${base()}/personen`, 'personen'],
  [`${base()}/personen/nieuw`, 'persoon-nieuw'],
  [editPages.person, 'persoon-bewerken'],
  [`${base()}/portefeuilles`, 'portefeuilles'],
  [`${base()}/portefeuilles/nieuw`, 'portefeuille-nieuw'],
  [editPages.portfolio, 'portefeuille-bewerken'],
  [`${base()}/leden`, 'leden'],
  [`${base()}/logboek`, 'logboek'],
  [`${base()}/bewerken`, 'bewerken'],
  ['/', 'start'],
  ['/account', 'account'],
  ['/account/tokens', 'tokens'],
];

step('every page in Dutch', async (t) => {
  await setLang(regisseur, 'nl');
  for (const [urlPath, name] of collaborationPages()) {
    await t.test(urlPath, async () => visit(regisseur, urlPath, `nl-${name}`));
  }
  // The log holds at least: the collaboration, its first beheerder, two partners, a person
  // and a portfolio, each with who did it.
  await goto(regisseur, `${base()}/logboek`);
  const rows = await regisseur.locator('#main table tbody tr').allInnerTexts();
  assert.ok(rows.length >= 6, `the log has ${rows.length} entries, expected at least 6:\n${rows.join('\n')}`);
  assert.ok(rows.filter((r) => r.includes(ACCOUNTS.regisseur)).length >= 4, `the log names who made each change:\n${rows.join('\n')}`);
});

step('every page in English', async (t) => {
  await setLang(regisseur, 'en');
  for (const [urlPath, name] of collaborationPages()) {
    await t.test(urlPath, async () => visit(regisseur, urlPath, `en-${name}`));
  }
  await goto(regisseur, base());
  const text = await mainText(regisseur, 20_000);
  assert.ok(!text.includes('Wie missen we nog?'), 'the overview is translated');
  await setLang(regisseur, 'nl');
});

step('the language form in the page header switches to English and back', async () => {
  await goto(regisseur, '/account');
  await useLanguageForm(regisseur, 'en');
  assert.equal(await regisseur.locator('html').getAttribute('lang'), 'en', `after choosing English, at ${pathOf(regisseur)}`);
  expectLangFromNowOn(regisseur, 'en');
  await checkPage(regisseur, 'en-na-taalkeuze');
  await useLanguageForm(regisseur, 'nl');
  assert.equal(await regisseur.locator('html').getAttribute('lang'), 'nl', `after choosing Dutch, at ${pathOf(regisseur)}`);
  expectLangFromNowOn(regisseur, 'nl');
});

step('the beheerder signs out', async () => {
  await signOut(regisseur);
});

/** The edit page of the first item in a list (`partners`, `personen`, `portefeuilles`). */
async function findEditPage(page, kind) {
  await goto(page, `${base()}/${kind}`);
  const pattern = new RegExp(`^/samenwerkingen/${id}/${kind}/([^/]+)(/bewerken)?$`);
  const items = (await linksIn(page))
    .map((p) => p.match(pattern))
    .filter((m) => m && m[1] !== 'nieuw')
    .map((m) => m[1]);
  assert.ok(items.length > 0, `no links to ${kind} items on the ${kind} list`);
  return `${base()}/${kind}/${items[0]}/bewerken`;
}

/** Chooses a language with the form in the page header (POST /taal). */
async function useLanguageForm(page, lang) {
  const forms = page.locator('form[action^="/taal"]');
  assert.ok((await forms.count()) > 0, `no language form (action /taal) on ${page.url()}`);
  const form = forms.first();
  const select = form.locator('select');
  let button;
  if ((await select.count()) > 0) {
    await select.first().selectOption(lang);
    button = form.locator('[type="submit"], button').first();
  } else {
    const valued = form.locator(`button[value="${lang}"], input[type="submit"][value="${lang}"]`);
    if ((await valued.count()) > 0) button = valued.first();
    else {
      // One button per form, each form with a hidden lang field.
      const hidden = page.locator(`form[action^="/taal"]:has(input[name="lang"][value="${lang}"])`);
      assert.ok((await hidden.count()) > 0, `the language form offers no way to choose ${lang}`);
      button = hidden.first().locator('[type="submit"], button').first();
    }
  }
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}
