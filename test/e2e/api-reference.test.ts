/**
 * The API reference at /docs end to end: the twin serves the portal's index.html for it (the SPA
 * fallback), the footer's "API reference" link opens it, its code (Swagger UI) is loaded only then,
 * and it renders the operations of the OpenAPI document the API serves at /openapi.json. The page
 * is served under the site's Content-Security-Policy (as CloudFront sends it), which it must not
 * break, and axe checks it.
 */
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inlineScriptHashes } from '../../lib/constructs/static-site';
import { checkPage, newTab } from './browser';
import { portalBuildDir } from './portal-twin';
import { portalSession } from './session';

const portal = portalSession('api-reference');

/** Every page document gets the site's CSP header; violations are kept in `window.cspViolations`. */
async function underSiteCsp(page: Page): Promise<void> {
  const policy = contentSecurityPolicy(inlineScriptHashes(portalBuildDir));
  // A string: it runs in the page, and this project's TypeScript has no DOM library.
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  await page.route('**/*', async (route) => {
    if (!route.request().isNavigationRequest()) return route.continue();
    const response = await route.fetch();
    return route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
}

const cspViolations = (page: Page): Promise<string[]> => page.evaluate<string[]>('window.cspViolations');

const RENDER_TIMEOUT = 60_000;

describe('the API reference', { timeout: 120_000 }, () => {
  it('is a page of the portal, not a path of the API', async () => {
    const page = await fetch(`${portal.twin.webBaseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const document = await fetch(`${portal.twin.webBaseUrl}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { paths: Record<string, unknown> }).paths['/tenancies']).toHaveProperty('post');
  });

  it("opens from the footer, loads Swagger UI only then, and renders the API's operations under the site's CSP", async () => {
    const { page } = await newTab(portal.browser, portal.twin.webBaseUrl);
    await underSiteCsp(page);
    const scripts: string[] = [];
    page.on('request', (request: Request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });

    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const firstLoad = [...scripts];
    expect(firstLoad.length).toBeGreaterThan(0);

    await page.getByRole('contentinfo').getByRole('link', { name: 'API reference' }).click();
    // The router moves to /docs once the page's chunk has loaded.
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe('/docs');
    await page.getByRole('heading', { level: 1, name: 'API reference' }).waitFor();
    // An operation of this API, with its summary from the route manifest.
    const rent = page.locator('.opblock-post', { has: page.locator('.opblock-summary-path', { hasText: /^\/tenancies$/ }) });
    // Swagger UI parses a 1.5 MB chunk and the whole document: allow for a busy machine.
    await rent.waitFor({ timeout: RENDER_TIMEOUT });
    await expect.poll(() => rent.locator('.opblock-summary-description').textContent(), { timeout: 15_000 }).toContain('Rent a space');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);

    // The reference's code came with the visit, not with the portal's first load.
    const later = scripts.filter((script) => !firstLoad.includes(script));
    expect(later.some((script) => /\/assets\/docs-[^/]+\.js$/.test(script)), later.join(', ')).toBe(true);
    expect(firstLoad.some((script) => /\/assets\/docs-/.test(script)), firstLoad.join(', ')).toBe(false);

    expect(await cspViolations(page)).toEqual([]);
    await checkPage(page, 'api-reference');
    expect(await cspViolations(page)).toEqual([]);
  });

  it('loads directly at /docs too', async () => {
    const { page } = await newTab(portal.browser, portal.twin.webBaseUrl);
    await underSiteCsp(page);
    await page.goto('/docs');
    await page.locator('.opblock-summary-path', { hasText: /^\/tenancies$/ }).first().waitFor({ timeout: RENDER_TIMEOUT });
    expect(await page.title()).toBe('API reference — Carpark Tenancy');
    expect(await cspViolations(page)).toEqual([]);
  });
});
