import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { routes } from '../functions/routes';
import type { AppConfig } from './config';
import { StaticSite, apiPathPatterns } from './constructs/static-site';
import { webBuildDir } from './paths';

export interface SiteStackProps extends StackProps {
  readonly config: AppConfig;
  /** The HTTP API's endpoint (`HttpApi.apiEndpoint`, stateless stack), served under the API's paths. */
  readonly apiEndpoint: string;
  /** Its value goes to the API as `x-origin-verify` on every request the distribution passes. */
  readonly originVerifySecret?: ISecret;
}

/**
 * First path segments of the route manifest that the site does not serve. Stripe calls its webhook
 * on the API's own URL (`ApiUrl`): no browser needs it, and a web ACL on the distribution (body
 * size rules, say) must never sit between Stripe's signed events and the signature check.
 */
export const API_SEGMENTS_NOT_ON_SITE = ['webhooks'] as const;

/**
 * The static web site (`web/`) on S3 behind CloudFront, which also passes the API's paths to the
 * HTTP API so the pages call it on their own origin. A stack of its own: a CloudFront distribution
 * takes minutes to create, update or delete (which would slow every deploy of the API's code), and
 * the stateless stack keeps its CloudFormation resource budget for functions and their alarms.
 */
export class SiteStack extends Stack {
  readonly site: StaticSite;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    const { config, apiEndpoint, originVerifySecret, ...stackProps } = props;
    super(scope, id, stackProps);
    // Export/import: CloudFormation refuses to delete the stateless stack while the site uses its API.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.site = new StaticSite(this, 'Site', {
      config,
      sourceDir: webBuildDir,
      api: {
        endpoint: apiEndpoint,
        ...(originVerifySecret ? { originVerifySecret } : {}),
        pathPatterns: apiPathPatterns(
          routes.map((route) => route.path),
          API_SEGMENTS_NOT_ON_SITE,
        ),
      },
    });
    new CfnOutput(this, 'SiteUrl', { description: 'URL of the web site (CloudFront)', value: this.site.url });
  }
}
