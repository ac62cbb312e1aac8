// Accounts in a real browser: registering, logging in and out, and a clear message for every
// refusal the server can give.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  kPassword, kWait, launch, loginThroughUi, newPerson, registerThroughUi, uniqueName,
  closeEveryone,
} from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
afterEach(closeEveryone);
after(async () => { await browser?.close(); });

async function registerAttempt(page, username, password) {
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.locator('#register-username').fill(username);
  await page.locator('#register-password').fill(password);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
}

test('Auth: a new user registers, lands in the app signed in, and the page has no script errors', async () => {
  const { context, page, errors } = await newPerson(browser);
  const name = uniqueName('reg');
  await registerThroughUi(page, name, 'Regina Example');
  await page.locator('#me-name').filter({ hasText: 'Regina Example' }).waitFor({ timeout: kWait });
  // A reload keeps the session: the cookie is real.
  await page.reload();
  await page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  assert.deepEqual(errors.filter((e) => !/status of 401|WebSocket/.test(e)), []);
  await context.close();
});

test('Auth: a taken username, a weak password and a bad username each get their own message', async () => {
  const first = await newPerson(browser);
  const name = uniqueName('taken');
  await registerThroughUi(first.page, name);
  await first.context.close();

  const { context, page } = await newPerson(browser);
  await registerAttempt(page, name, kPassword);
  await page.locator('#register-error').filter({ hasText: 'That username is taken' }).waitFor({ timeout: kWait });
  assert.equal(await page.locator('#register-username').getAttribute('aria-invalid'), 'true');

  await registerAttempt(page, uniqueName('weak'), 'short');
  await page.locator('#register-error').filter({ hasText: '15 to 128 characters' }).waitFor({ timeout: kWait });
  assert.equal(await page.locator('#register-password').getAttribute('aria-invalid'), 'true');

  await registerAttempt(page, 'no spaces allowed', kPassword);
  await page.locator('#register-error').filter({ hasText: 'Usernames are 3–32 characters' }).waitFor({ timeout: kWait });
  assert.equal(await page.locator('#home-view').isVisible(), false);
  await context.close();
});

test('Auth: a wrong password is refused with a clear message and the user stays signed out', async () => {
  const setup = await newPerson(browser);
  const name = uniqueName('wrong');
  await registerThroughUi(setup.page, name);
  await setup.context.close();

  const { context, page } = await newPerson(browser);
  await loginThroughUi(page, name, 'this is not the password');
  await page.locator('#login-error').filter({ hasText: 'Wrong username or password.' }).waitFor({ timeout: kWait });
  assert.equal(await page.locator('#home-view').isVisible(), false);
  // The right one still works.
  await loginThroughUi(page, name);
  await page.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await context.close();
});

test('Auth: a throttled login tells the user how long to wait', async () => {
  // Real lockouts are proven by the API suite; here the server's 429 is replayed so this suite
  // does not spend the shared loopback address's failure allowance.
  const { context, page } = await newPerson(browser);
  await page.route('**/api/login', (route) => route.fulfill({
    status: 429,
    headers: { 'Retry-After': '120', 'Content-Type': 'application/json' },
    body: JSON.stringify({ error: { code: 'too_many_attempts', message: 'too many failed logins; try later' } }),
  }));
  await loginThroughUi(page, uniqueName('slow'), kPassword);
  await page.locator('#login-error').filter({ hasText: 'Too many attempts. Try again in 2 minutes.' })
    .waitFor({ timeout: kWait });
  await context.close();
});

test('Auth: empty fields are caught before anything is sent', async () => {
  const { context, page } = await newPerson(browser);
  let posted = false;
  page.on('request', (request) => { if (request.url().endsWith('/api/login')) posted = true; });
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#login-error').filter({ hasText: 'Enter your username and password.' }).waitFor({ timeout: kWait });
  assert.equal(posted, false);
  await context.close();
});

test('Auth: logging out returns to the login form, and the session is gone on reload', async () => {
  const { context, page } = await newPerson(browser);
  await registerThroughUi(page, uniqueName('bye'));
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.locator('#auth-view').waitFor({ state: 'visible', timeout: kWait });
  await page.reload();
  await page.locator('#auth-view').waitFor({ state: 'visible', timeout: kWait });
  const me = await page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(me, 401);
  await context.close();
});

test('Auth: logging out in one tab signs out the other tabs of the session', async () => {
  const { context, page } = await newPerson(browser);
  await registerThroughUi(page, uniqueName('tabs'));
  const second = await context.newPage();
  await second.goto(page.url());
  await second.locator('#home-view').waitFor({ state: 'visible', timeout: kWait });
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await second.locator('#auth-view').waitFor({ state: 'visible', timeout: kWait });
  await context.close();
});
