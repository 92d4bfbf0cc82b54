// Story: a lezer (read-only member) sees the demo collaboration, is offered nothing to change,
// and is refused (403) when going straight to a form or a beheerder's page.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  ACCOUNTS,
  DEMO_COLLABORATION,
  checkPage,
  goto,
  linksIn,
  mainText,
  pathOf,
  signIn,
  startSuite,
  steps,
  visit,
} from './lib.mjs';

const step = steps();
let suite;
let lezer;
let base;

before(async () => {
  suite = await startSuite('reader');
});
after(async () => {
  await suite?.close();
});

step('the lezer signs in and sees the demo collaboration', async () => {
  lezer = await suite.user();
  await signIn(lezer, ACCOUNTS.lezer, { check: 'lezer-nl' });
  const link = lezer.locator('#main a[href*="/samenwerkingen/"]', { hasText: DEMO_COLLABORATION });
  assert.ok((await link.count()) > 0, `the home page links to "${DEMO_COLLABORATION}":\n${await mainText(lezer)}`);
  await Promise.all([lezer.waitForNavigation(), link.first().click()]);
  base = pathOf(lezer);
  assert.match(base, /^\/samenwerkingen\/[^/]+$/);
  await checkPage(lezer, 'lezer-nl-overzicht');
});

step('the lists offer nothing to add or change', async (t) => {
  for (const kind of ['partners', 'personen', 'portefeuilles']) {
    await t.test(kind, async () => {
      await visit(lezer, `${base}/${kind}`, `lezer-nl-${kind}`);
      const links = await linksIn(lezer, 'a[href]');
      const changing = links.filter((p) => p.endsWith('/nieuw') || p.endsWith('/bewerken'));
      assert.deepEqual(changing, [], `a lezer is offered links to change things on ${kind}`);
      const forms = await lezer
        .locator('#main form')
        .evaluateAll((fs) => fs.filter((f) => f.method.toLowerCase() === 'post').map((f) => f.getAttribute('action')));
      assert.deepEqual(forms, [], `a lezer is offered forms that change things on ${kind}`);
    });
  }
});

step('forms and beheerder pages answer 403', async (t) => {
  const refused = [
    [`${base}/partners/nieuw`, 'partner-nieuw'],
    [`${base}/personen/nieuw`, 'persoon-nieuw'],
    [`${base}/portefeuilles/nieuw`, 'portefeuille-nieuw'],
    [`${base}/bewerken`, 'bewerken'],
    [`${base}/logboek`, 'logboek'],
    ['/samenwerkingen/nieuw', 'samenwerking-nieuw'],
    ['/beheer/gebruikers', 'gebruikers'],
  ];
  for (const [urlPath, name] of refused) {
    await t.test(urlPath, async () => visit(lezer, urlPath, `lezer-nl-403-${name}`, { status: 403 }));
  }
  // The refusal is also in force for a request without a browser's help.
  const response = await lezer.request.get(`${base}/partners/nieuw`, { maxRedirects: 0 });
  assert.equal(response.status(), 403);
});

step('the 403 page is translated too', async () => {
  await goto(lezer, `${base}/partners/nieuw`, { status: 403 });
  const nl = await mainText(lezer);
  await lezer.context().addCookies([{ name: 'lang', value: 'en', url: suite.baseURL }]);
  await goto(lezer, `${base}/partners/nieuw`, { status: 403 });
  assert.equal(await lezer.locator('html').getAttribute('lang'), 'en');
  assert.notEqual(await mainText(lezer), nl, 'the English 403 page differs from the Dutch one');
});
