// The People panel: contacts (added from a search or from history, removed again), the
// server-side search, and presence of exactly the people on screen.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  call, callStatus, closeEveryone, findPerson, kWait, launch, signedInPerson, userRow, waitIncoming, waitOnline,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

const star = (page, username) => userRow(page, username).locator('button.btn-favourite');

test('People: a new account has no contacts and is told how to find people', async () => {
  const ola = await signedInPerson(browser, 'ola', 'Ola');
  await ola.page.locator('#user-list-empty').filter({ hasText: 'No contacts yet' }).waitFor({ timeout: kWait });
  assert.equal(await ola.page.locator('#user-list li').count(), 0);
});

test('People: found by a display-name word, added with the star, kept as a contact after the search', async () => {
  const pia = await signedInPerson(browser, 'pia', 'Pia');
  const quinn = await signedInPerson(browser, 'quinn', `Quinn Zephyrine${Date.now() % 100000}`);
  const word = quinn.displayName.split(' ')[1];
  await pia.page.locator('#people-search').fill(word.slice(0, 8));
  await waitOnline(pia.page, quinn.username);
  await star(pia.page, quinn.username).click();
  await userRow(pia.page, quinn.username).getByRole('button', { name: `Remove ${quinn.displayName} from contacts` })
    .waitFor({ timeout: kWait });
  await pia.page.locator('#people-search').fill('');
  await waitOnline(pia.page, quinn.username);  // listed without a search now, and online
  // Presence of a contact follows them: offline when they leave.
  await quinn.context.close();
  await waitOnline(pia.page, quinn.username, false);
  await star(pia.page, quinn.username).click();  // remove
  await userRow(pia.page, quinn.username).waitFor({ state: 'detached', timeout: kWait });
  await pia.page.reload();
  await pia.page.locator('#user-list-empty').filter({ hasText: 'No contacts yet' }).waitFor({ timeout: kWait });
});

test('People: a search too short is not sent; one that finds nobody says so', async () => {
  const ray = await signedInPerson(browser, 'ray', 'Ray');
  const searches = [];
  ray.page.on('request', (r) => { if (r.url().includes('/api/users/search')) searches.push(r.url()); });
  await ray.page.locator('#people-search').fill('x');
  await ray.page.waitForTimeout(600);
  assert.deepEqual(searches, []);
  await ray.page.locator('#people-search').fill('zz-nobody-has-this-name');
  await ray.page.locator('#user-list-empty').filter({ hasText: 'No one matches' }).waitFor({ timeout: kWait });
  assert.equal(searches.length, 1);
});

test('People: after a call the partner is a recent contact, and history offers to add them', async () => {
  const sam = await signedInPerson(browser, 'sam', 'Sam');
  const tia = await signedInPerson(browser, 'tia', 'Tia');
  await call(sam, tia);
  const dialog = await waitIncoming(tia, 'Sam');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await callStatus(sam.page, 'Connected');
  await sam.page.getByRole('button', { name: 'Hang up' }).click();
  await sam.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await sam.page.locator('#people-search').fill('');
  // Tia is listed without a search (a recent call partner), not yet a favourite.
  await star(sam.page, tia.username).and(sam.page.locator('[aria-pressed="false"]')).waitFor({ timeout: kWait });
  const add = sam.page.locator('#history-list').getByRole('button', { name: 'Add Tia to contacts' }).first();
  await add.click();
  await star(sam.page, tia.username).and(sam.page.locator('[aria-pressed="true"]')).waitFor({ timeout: kWait });
  await sam.page.locator('#history-list').getByRole('button', { name: 'Add Tia to contacts' })
    .first().waitFor({ state: 'detached', timeout: kWait });
  // The daemon sent Sam presence of Tia only because Sam follows her.
  await findPerson(sam.page, tia.username);
  await waitOnline(sam.page, tia.username);
});

test('People: a caller who is not a contact can be added from the ringing card', async () => {
  const uli = await signedInPerson(browser, 'uli', 'Uli');
  const val = await signedInPerson(browser, 'val', 'Val');
  await call(uli, val);
  const dialog = await waitIncoming(val, 'Uli');
  // After Decline and Accept in the tab order, so a stray Enter never lands on it.
  await dialog.getByRole('button', { name: 'Add Uli to contacts' }).click();
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await val.page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await star(val.page, uli.username).and(val.page.locator('[aria-pressed="true"]')).waitFor({ timeout: kWait });
});
