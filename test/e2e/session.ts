/**
 * One browser test file's world: the whole twin serving the built portal, and Chromium, started
 * before its tests and stopped after them. `tab()` opens a page on the portal that is screenshotted
 * (`failed-<label>-<test>`) if the test it was opened in fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import type { TestTwin } from '../support/twin';
import { launchBrowser, newTab, screenshot, WIDTHS } from './browser';
import { startPortalTwin } from './portal-twin';

export interface PortalSession {
  /** Set once the file's `beforeAll` has run. */
  readonly twin: TestTwin;
  readonly browser: Browser;
  tab(width?: number): Promise<Page>;
}

export function portalSession(label: string): PortalSession {
  let twin: TestTwin | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [twin, browser] = await Promise.all([startPortalTwin(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await twin?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The portal session is used before its beforeAll has run.');
    return value;
  };
  return {
    get twin() {
      return started(twin);
    },
    get browser() {
      return started(browser);
    },
    async tab(width: number = WIDTHS.desktop) {
      const { page } = await newTab(started(browser), started(twin).webBaseUrl, width);
      // What the page showed when a step failed, for the person reading the failure.
      onTestFailed(({ task }) => screenshot(page, `failed-${label}-${task.name.slice(0, 40).replace(/\W+/g, '-')}`));
      return page;
    },
  };
}
