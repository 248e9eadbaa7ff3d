import { readdirSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { webBuildDir } from '../../lib/paths';
import { API_SEGMENTS_NOT_ON_SITE } from '../../lib/site-stack';
import { MAX_CACHE_BEHAVIORS, StaticSite, apiPathPatterns, matchesPathPattern } from '../../lib/constructs/static-site';
import { logicalIdOf, onlyResource, resourcesOfType, synthStacks, testConfig } from './helpers';

interface CacheBehavior {
  readonly PathPattern: string;
  readonly TargetOriginId: string;
  readonly [key: string]: unknown;
}

/** A concrete request path for a manifest path: `/carparks/{carparkId}` → `/carparks/x1`. */
const samplePath = (apiPath: string) => apiPath.replace(/\{[^}]+\}/g, 'x1');

/** Managed policy ids, as AWS documents them. */
const CACHING_DISABLED_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER_ID = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

// One synthesis for the whole file: every describe reads the same default-config app.
const stacks = synthStacks();

describe('the site serves the API on its own origin', () => {
  const { site, stateless, siteTemplate, statelessTemplate } = stacks;
  const distributionConfig = onlyResource(siteTemplate, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
    Origins: Record<string, unknown>[];
    CacheBehaviors: CacheBehavior[];
    DefaultCacheBehavior: Record<string, unknown>;
  };
  const behaviors = distributionConfig.CacheBehaviors;
  const apiOrigin = distributionConfig.Origins.find((origin) => origin.CustomOriginConfig);
  const patterns = behaviors.map((behavior) => behavior.PathPattern);

  it("routes each first path segment of the manifest to the API, the webhook's excepted", () => {
    expect(patterns).toEqual(apiPathPatterns(routes.map((route) => route.path), API_SEGMENTS_NOT_ON_SITE));
    expect(patterns).toEqual(expect.arrayContaining(['/carparks', '/carparks/*', '/auth/*', '/tenancies', '/tenancies/*']));
    expect(patterns).not.toContain('/auth'); // no route is /auth itself
    // The pages' own calls reach the API. (Synthesis itself refuses more than 25 behaviours, or a
    // pattern hiding a file of web/: tested below on the construct.)
    expect(patterns.some((pattern) => matchesPathPattern(pattern, '/carparks'))).toBe(true);
    expect(patterns.some((pattern) => matchesPathPattern(pattern, '/auth/reset-password'))).toBe(true);
    // The API reference is a page of the portal (it fetches /openapi.json), not a path of the API.
    expect(patterns.filter((pattern) => matchesPathPattern(pattern, '/docs'))).toEqual([]);

    for (const route of routes) {
      const matched = patterns.filter((pattern) => matchesPathPattern(pattern, samplePath(route.path)));
      if (route.path.startsWith('/webhooks/')) expect(matched, route.path).toEqual([]);
      else expect(matched, `${route.method} ${route.path}`).toHaveLength(1);
    }
  });

  it("sends every API behaviour to the HTTP API's domain over HTTPS, uncached, with all methods and viewer headers but Host", () => {
    expect(apiOrigin).toBeDefined();
    for (const behavior of behaviors) {
      expect(behavior, behavior.PathPattern).toEqual({
        PathPattern: behavior.PathPattern,
        TargetOriginId: apiOrigin?.Id,
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: CACHING_DISABLED_ID,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER_ID,
        ResponseHeadersPolicyId: distributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId,
        Compress: true,
      });
    }
    expect(CachePolicy.CACHING_DISABLED.cachePolicyId).toBe(CACHING_DISABLED_ID);
    expect(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER_ID);
  });

  it("takes the API's domain from the stateless stack's HTTP API through an export", () => {
    const imported = { 'Fn::ImportValue': expect.any(String) };
    expect(apiOrigin).toEqual({
      Id: expect.any(String),
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', imported] }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      // The API believes CloudFront-Viewer-Address only on requests carrying this secret value,
      // resolved by CloudFormation at deploy time (never in the template).
      OriginCustomHeaders: [{ HeaderName: 'x-origin-verify', HeaderValue: expect.objectContaining({}) }],
    });
    expect(JSON.stringify(apiOrigin?.OriginCustomHeaders)).toContain('resolve:secretsmanager');
    const importName = ((apiOrigin?.DomainName as { 'Fn::Select': [number, { 'Fn::Split': [string, { 'Fn::ImportValue': string }] }] })[
      'Fn::Select'
    ][1]['Fn::Split'][1])['Fn::ImportValue'];
    const outputs = Object.values(statelessTemplate.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>);
    expect(outputs.find((output) => output.Export?.Name === importName)?.Value).toEqual({
      'Fn::GetAtt': [logicalIdOf(stateless.api.httpApi), 'ApiEndpoint'],
    });
    // So CloudFormation deploys the API first, and keeps it while the site uses it.
    expect(site.dependencies).toContain(stateless);
  });

  it("keeps the CSP's connect-src to the site's own origin and Stripe's API (the card form)", () => {
    const policy = onlyResource(siteTemplate, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: string } };
    };
    expect(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toContain("connect-src 'self' https://api.stripe.com;");
  });
});

describe('the single-page app on the bucket behaviour', () => {
  const { site, siteTemplate } = stacks;
  const fn = onlyResource(siteTemplate, 'AWS::CloudFront::Function');
  const code = fn.Properties.FunctionCode as string;
  const handler = new Function(`${code}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
  const rewrite = (uri: string) => handler({ request: { uri } }).uri;

  it('runs the page function on the bucket behaviour only, with no distribution-wide error pages', () => {
    expect(fn.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const config = onlyResource(siteTemplate, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors: Record<string, unknown>[];
    };
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalIdOf(site.site.pageFunction), 'FunctionARN'] } },
    ]);
    for (const behavior of config.CacheBehaviors) expect(behavior.FunctionAssociations).toBeUndefined();
    // Custom error responses apply to every behaviour: they would turn the API's 404 JSON into HTML.
    expect((config as Record<string, unknown>).CustomErrorResponses).toBeUndefined();
  });

  it("serves the app's index.html for every page path (email links included), and files as they are", () => {
    for (const page of ['/', '/signup', '/reset-password', '/my/tenancies/tn_0123456789abcdef0123', '/my/billing', '/my/billing/authenticate/in_1', '/docs']) {
      expect(rewrite(page), page).toBe('/index.html');
    }
    expect(rewrite('/index.html')).toBe('/index.html');
    const assets = readdirSync(path.join(webBuildDir, 'assets'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(rewrite(`/assets/${asset}`)).toBe(`/assets/${asset}`);
  });
});

describe('API path patterns', () => {
  it('gives a segment its own pattern and one for what is below it, once each', () => {
    expect(apiPathPatterns(['/carparks', '/carparks/{id}', '/carparks/{id}/spaces', '/health', '/auth/login'])).toEqual([
      '/auth/*',
      '/carparks',
      '/carparks/*',
      '/health',
    ]);
    expect(apiPathPatterns(['/webhooks/stripe', '/health'], ['webhooks'])).toEqual(['/health']);
  });

  it('refuses a path whose first segment is a parameter, which would swallow the site', () => {
    expect(() => apiPathPatterns(['/{id}'])).toThrow(/no fixed first segment/);
    expect(() => apiPathPatterns(['/'])).toThrow(/no fixed first segment/);
  });

  it("matches CloudFront's wildcards", () => {
    expect(matchesPathPattern('/carparks/*', '/carparks/abc')).toBe(true);
    expect(matchesPathPattern('/carparks/*', '/carparks')).toBe(false);
    expect(matchesPathPattern('/carparks', '/carparks.html')).toBe(false);
    expect(matchesPathPattern('/openapi.json', '/openapiXjson')).toBe(false);
    expect(matchesPathPattern('/a?c', '/abc')).toBe(true);
  });

  it('fails synthesis beyond the behaviour quota, or when a pattern hides a file of the site', () => {
    const site = (pathPatterns: string[]) => () =>
      new StaticSite(new Stack(new App(), 'Site'), 'Site', {
        config: testConfig(),
        sourceDir: webBuildDir,
        api: { endpoint: 'https://abc123.execute-api.eu-west-2.amazonaws.com', pathPatterns },
      });
    const many = Array.from({ length: MAX_CACHE_BEHAVIORS }, (_, i) => `/api${i}`);
    expect(site(many)).toThrow(/26 cache behaviours/);
    expect(site(many.slice(1))).not.toThrow();
    expect(site(['/index.html'])).toThrow(/never served: \/index\.html$/);
    expect(site(['/assets*'])).toThrow(/never served: \/assets$/);
  });
});

describe('site stack resources', () => {
  it('adds one CloudFront function and no other policy than the security headers', () => {
    const { siteTemplate } = stacks;
    expect(Object.keys(resourcesOfType(siteTemplate, 'AWS::CloudFront::Function'))).toHaveLength(1);
    expect(Object.keys(resourcesOfType(siteTemplate, 'AWS::CloudFront::CachePolicy'))).toHaveLength(0);
    expect(Object.keys(resourcesOfType(siteTemplate, 'AWS::CloudFront::OriginRequestPolicy'))).toHaveLength(0);
  });
});
