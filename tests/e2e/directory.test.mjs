// A community of 100,000 accounts (tests/seed_directory.sql): the search finds people by
// username prefix and by display-name words, page by page; one found is added to the contacts
// and called.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  callStatus, closeEveryone, kWait, launch, loginThroughUi, newPerson, runSqlFile, signedInPerson,
  userRow, waitIncoming, waitOnline,
} from './harness.mjs';

const kMembers = 100_000;
const kMemberPassword = 'directory member password';  // tests/seed_directory.sql

let browser;
before(async () => {
  runSqlFile(join(process.env.VC_SRC_DIR || process.cwd(), 'tests', 'seed_directory.sql'), `SET @members = ${kMembers};`);
  browser = await launch();
});
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

const rows = (page) => page.locator('#user-list li.user');

test('Directory: a username prefix among 100,000 accounts is found page by page', async () => {
  const uma = await signedInPerson(browser, 'uma', 'Uma');
  await uma.page.locator('#people-search').fill('member0999');  // member099900 … member099999
  await userRow(uma.page, 'member099900').waitFor({ timeout: kWait });
  const firstPage = await rows(uma.page).count();
  assert.ok(firstPage > 0 && firstPage < 100, `a first page, not all 100 (${firstPage})`);
  const seen = new Set();
  while (await uma.page.locator('#more-results').isVisible()) {
    const before = await rows(uma.page).count();
    await uma.page.locator('#more-results').click();
    await uma.page.waitForFunction((n) => document.querySelectorAll('#user-list li.user').length > n, before,
                                   { timeout: kWait });
  }
  for (const name of await rows(uma.page).evaluateAll((lis) => lis.map((li) => li.dataset.username))) seen.add(name);
  assert.equal(seen.size, 100);
  assert.ok([...seen].every((name) => name.startsWith('member0999')));
});

test('Directory: display-name words find people, accents and stopwords included', async () => {
  const vic = await signedInPerson(browser, 'vic', 'Vic');
  await vic.page.locator('#people-search').fill('will smith');
  await rows(vic.page).first().waitFor({ timeout: kWait });
  const names = await rows(vic.page).locator('.user-name').allTextContents();
  assert.ok(names.length > 0 && names.every((n) => n === 'Will Smith'), names.join(', '));
  await vic.page.locator('#people-search').fill('søren tanaka');
  await rows(vic.page).first().waitFor({ timeout: kWait });
  assert.ok((await rows(vic.page).locator('.user-name').allTextContents()).every((n) => n === 'Søren Tanaka'));
});

test('Directory: a member found by search is added to the contacts and called', async () => {
  const wes = await signedInPerson(browser, 'wes', 'Wes');
  const member = await newPerson(browser);
  await loginThroughUi(member.page, 'member012345', kMemberPassword);
  await member.page.locator('#conn-state[data-state="open"]').waitFor({ timeout: kWait });
  const displayName = await member.page.locator('#me-name').textContent();
  await waitOnline(wes.page, 'member012345');
  await userRow(wes.page, 'member012345').getByRole('button', { name: `Add ${displayName} to contacts` }).click();
  await wes.page.locator('#people-search').fill('');
  await userRow(wes.page, 'member012345').locator('button[aria-pressed="true"]').waitFor({ timeout: kWait });
  await userRow(wes.page, 'member012345').getByRole('button', { name: `Call ${displayName}` }).click();
  const dialog = await waitIncoming(member, 'Wes');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await callStatus(wes.page, 'Connected');
  await callStatus(member.page, 'Connected');
});
