/** Steps shared by the journeys: what a tenant does in the portal, through the page as a person would. */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { pollUntil } from '../../local/ports';
import type { TestTwin } from '../support/twin';
import { checkPage } from './browser';

export const PASSWORD = 'Parking-2026!';

export function newEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Waits until the locator's text matches; Playwright polls, nothing sleeps. */
export async function expectText(page: Page, selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  const locator = page.locator(selector).filter({ hasText: pattern }).first();
  await locator.waitFor({ state: 'visible', timeout });
  return (await locator.textContent()) ?? '';
}

export async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

export async function signUp(page: Page, email: string, name = 'Sam Parker'): Promise<void> {
  await heading(page, 'Create an account');
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await heading(page, 'Log in');
}

export async function logIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await heading(page, 'Log in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** A new account, logged in, from the sign-up page. */
export async function newTenant(page: Page, label: string): Promise<string> {
  const email = newEmail(label);
  await page.goto('/signup');
  await signUp(page, email);
  await logIn(page, email);
  return email;
}

/** Picks a test card in the card form (the Stripe stand-in's picker in the twin) and saves it. */
export async function addCard(page: Page, card: RegExp = /works|succeeds|visa/i, submit: RegExp = /save card|use this card/i): Promise<void> {
  const form = page.locator('form.card-form');
  await form.getByRole('radio', { name: card }).first().check();
  await form.getByRole('button', { name: submit }).click();
}

/** Presses Tab from the top of the page until the target has focus: every main action can be reached by keyboard. */
export async function expectReachableByKeyboard(page: Page, target: ReturnType<Page['getByRole']>, maxTabs = 60): Promise<void> {
  // Browser-side code; this file is typechecked without the DOM's types.
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
  const handle = await target.elementHandle();
  const isFocused = (element: unknown) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement;
  for (let tab = 0; tab < maxTabs; tab++) {
    await page.keyboard.press('Tab');
    if (await handle?.evaluate(isFocused)) return;
  }
  expect.fail(`not reachable with ${maxTabs} presses of Tab: ${String(target)}`);
}

/** The newest email to an address whose subject matches, once it has arrived. */
export async function emailTo(twin: TestTwin, to: string, subject: RegExp) {
  return twin.outbox.waitFor((message) => message.to.includes(to) && subject.test(message.subject), 20_000);
}

/** Links of an email (text or HTML) that lead to the portal. */
export function portalLinks(twin: TestTwin, message: { text: string | null; html: string | null }): string[] {
  const found = new Set<string>();
  for (const body of [message.text ?? '', message.html ?? '']) {
    for (const match of body.matchAll(/https?:\/\/[^\s"'<>)]+/g)) {
      const url = match[0].replace(/&amp;/g, '&').replace(/[.,;]$/, '');
      if (url.startsWith(twin.webBaseUrl)) found.add(url);
    }
  }
  return [...found];
}

/** A session token through the API, for the steps a test takes outside the browser. */
export async function apiToken(twin: TestTwin, email: string, password = PASSWORD): Promise<string> {
  const login = await twin.request('POST', '/auth/login', { body: { email, password } });
  expect(login.status, login.text).toBe(200);
  return (login.json as { token: string }).token;
}

/** A tenant made through the API with a working test card on file (the card form has its own journey). */
export async function apiTenantWithCard(twin: TestTwin, label: string, name = 'Robin Renter'): Promise<{ email: string; token: string }> {
  const email = newEmail(label);
  const created = await twin.request('POST', '/users', { body: { email, password: PASSWORD, name, accountType: 'individual' } });
  expect(created.status, created.text).toBe(201);
  const token = await apiToken(twin, email);
  const card = await twin.request('PATCH', '/billing', { token, body: { defaultPaymentMethod: 'pm_card_visa' } });
  expect(card.status, card.text).toBe(200);
  return { email, token };
}

/**
 * A car park of the demo operator in Leeds taking cars only, created through the API (the console
 * journeys test the form): its id.
 */
export async function apiCarpark(
  twin: TestTwin,
  operatorToken: string,
  car: { name: string; line1: string; postcode: string; price: number; spaces: number; siteId: string; supportEmail: string },
): Promise<string> {
  const created = await twin.request('POST', '/carparks', {
    token: operatorToken,
    body: {
      name: car.name,
      address: { line1: car.line1, city: 'Leeds', postcode: car.postcode, country: 'GB' },
      currency: 'gbp',
      prices: { car: car.price },
      capacity: { car: car.spaces },
      smartParkingSiteId: car.siteId,
      supportEmail: car.supportEmail,
    },
  });
  expect(created.status, created.text).toBe(201);
  return (created.json as { carparkId: string }).carparkId;
}

export { checkPage, pollUntil };
