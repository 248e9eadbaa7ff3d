import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import type { AppConfig } from '../config';

export interface StaticSiteProps {
  readonly config: AppConfig;
  /** The built single-page app (`npm run build:web`), uploaded as it is but for source maps and the build manifest. */
  readonly sourceDir: string;
  /** The HTTP API, served by the same distribution so the pages call it on their own origin. */
  readonly api: SiteApi;
}

export interface SiteApi {
  /** `https://<api id>.execute-api.<region>.amazonaws.com` (the `$default` stage, no path). */
  readonly endpoint: string;
  /**
   * Sent to the API as `x-origin-verify` (a dynamic reference, resolved at deploy time): the API
   * trusts `CloudFront-Viewer-Address` only on requests that carry it.
   */
  readonly originVerifySecret?: ISecret;
  /** CloudFront path patterns sent to the API, from {@link apiPathPatterns}. */
  readonly pathPatterns: readonly string[];
}

/** CloudFront's quota of cache behaviours per distribution, the default behaviour included. */
export const MAX_CACHE_BEHAVIORS = 25;

/**
 * CloudFront path patterns covering the API paths, one or two per first path segment:
 * `/carparks` for the path itself and `/carparks/*` for anything below it. Segments in `exclude`
 * are left out (they stay reachable on the API's own URL).
 */
export function apiPathPatterns(paths: readonly string[], exclude: readonly string[] = []): string[] {
  const patterns = new Set<string>();
  for (const apiPath of paths) {
    const [, first = '', ...rest] = apiPath.split('/');
    // A parameter or an empty first segment would swallow the site's own files.
    if (!first || first.startsWith('{')) throw new Error(`API path ${apiPath} has no fixed first segment to route on`);
    if (exclude.includes(first)) continue;
    patterns.add(rest.length > 0 ? `/${first}/*` : `/${first}`);
  }
  return [...patterns].sort();
}

/** Whether CloudFront's path pattern (`*` any characters, `?` one) matches the path. */
export function matchesPathPattern(pattern: string, urlPath: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${regex}$`).test(urlPath);
}

/** The top-level paths of the site's files and folders (`/index.html`, `/assets`). */
function sitePaths(sourceDir: string): string[] {
  return readdirSync(sourceDir)
    .filter((file) => !file.startsWith('.'))
    .map((file) => `/${file}`);
}

/** Build output that stays out of the bucket: the build manifest (read by the bench) and source maps. */
export const NOT_DEPLOYED = ['.vite', '.vite/*', '*.map'];

/**
 * Viewer-request function of the bucket's behaviour (the API's paths have behaviours of their
 * own, so only the site's paths get here): a page path, whose last segment has no file extension
 * (`/my/tenancies/tn_...`, `/reset-password?token=...`), is served the single-page app's
 * index.html and the app's router shows the page; files (`/assets/index-....js`) are served as
 * they are. Done here, not with distribution-wide custom error responses, which would also turn
 * the API's own 404 answers into the app's HTML.
 */
export const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** Stripe.js, its iframes (card fields, 3-D Secure) and its API, which the card form needs. */
const STRIPE_SOURCES = {
  script: 'https://js.stripe.com',
  frame: 'https://js.stripe.com https://hooks.stripe.com',
  connect: 'https://api.stripe.com',
  img: 'https://*.stripe.com',
};

/**
 * `'sha256-...'` of every inline `<script>` of the site's HTML files, so the Content-Security-Policy
 * can allow exactly those scripts without `'unsafe-inline'`. Computed at synthesis, so editing a
 * page's script updates the policy on the next deploy.
 */
export function inlineScriptHashes(sourceDir: string): string[] {
  const hashes = new Set<string>();
  for (const file of readdirSync(sourceDir).filter((name) => name.endsWith('.html')).sort()) {
    const html = readFileSync(path.join(sourceDir, file), 'utf8');
    for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      hashes.add(`'sha256-${createHash('sha256').update(match[1] ?? '', 'utf8').digest('base64')}'`);
    }
  }
  return [...hashes];
}

/**
 * The site's Content-Security-Policy: scripts and styles only from the site itself (and Stripe's
 * script), inline scripts only by the hashes of `inlineScriptHashes`, no `'unsafe-eval'`. The
 * end-to-end tests serve the portal under it to show the pages (the API reference too) need no more.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${STRIPE_SOURCES.script} ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self'",
    `img-src 'self' data: ${STRIPE_SOURCES.img}`,
    `connect-src 'self' ${STRIPE_SOURCES.connect}`,
    `frame-src ${STRIPE_SOURCES.frame}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The web site: a private bucket, readable only by one CloudFront distribution through Origin
 * Access Control, which serves it over HTTPS with security headers, and passes the API's paths to
 * the HTTP API so pages and API share one origin. The files of `sourceDir` are
 * uploaded (and the distribution's cache invalidated) on every deploy that changes them.
 * Server access logs of the site bucket and the distribution's standard logs go to a log bucket.
 */
export class StaticSite extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;
  /** Serves the app's index.html for page paths on the bucket's behaviour. */
  readonly pageFunction: CloudFrontFunction;
  /** `https://<distribution domain>`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    const { config } = props;
    // Outside prod the buckets go with the stack (their objects are emptied first); in prod they stay.
    const removal = config.isProd
      ? { removalPolicy: RemovalPolicy.RETAIN }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with the awslogsdelivery account's ACL grant.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      ...removal,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the site bucket server access logs and the CloudFront logs; logging ' +
        'its own access would write into itself (or need a bucket just for that).',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      ...removal,
    });

    if (!existsSync(path.join(props.sourceDir, 'index.html'))) {
      throw new Error(`The web app is not built (${props.sourceDir}/index.html is missing): run \`npm run build:web\` first.`);
    }
    const scriptHashes = inlineScriptHashes(props.sourceDir);
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Carpark Tenancy ${config.stage}: security headers of the web site`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(scriptHashes),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    const { pathPatterns } = props.api;
    if (pathPatterns.length + 1 > MAX_CACHE_BEHAVIORS) {
      throw new Error(
        `The site needs ${pathPatterns.length + 1} cache behaviours, above CloudFront's ${MAX_CACHE_BEHAVIORS} per ` +
          'distribution: group the API paths under fewer first segments, or raise the quota and MAX_CACHE_BEHAVIORS.',
      );
    }
    const shadowed = sitePaths(props.sourceDir).filter((p) => pathPatterns.some((pattern) => matchesPathPattern(pattern, p)));
    if (shadowed.length > 0) throw new Error(`Site files behind API path patterns, never served: ${shadowed.join(', ')}`);

    this.pageFunction = new CloudFrontFunction(this, 'PagePaths', {
      comment: 'Serves the single-page app for page paths',
      code: FunctionCode.fromInline(SPA_FALLBACK),
      runtime: FunctionRuntime.JS_2_0,
    });

    // The API on the same origin as the pages: relative fetches reach it, no CORS, and the CSP's
    // connect-src 'self' holds. Requests still go through API Gateway, so its authorizer and
    // stage throttling apply. Nothing is cached; every viewer header but Host (API Gateway needs
    // its own) reaches the API, Authorization included, and so do query strings and cookies.
    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(Fn.select(2, Fn.split('/', props.api.endpoint)), {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        ...(props.api.originVerifySecret
          ? { customHeaders: { 'x-origin-verify': props.api.originVerifySecret.secretValue.unsafeUnwrap() } }
          : {}),
      }),
      // No redirect: a request that went out over plain HTTP has already exposed its token.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Carpark Tenancy ${config.stage} web site`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        // The origin grants s3:GetObject to this distribution alone (condition on its ARN).
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: this.pageFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(pathPatterns.map((pattern) => [pattern, apiBehavior])),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The site is public sign-up and password-reset pages for tenants wherever they are; there is ' +
        'no country the service must be withheld from, so no geo restriction.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static files and passes the API paths, uncached, to the HTTP API, ' +
        'whose stage throttling and authorizer still apply. A CloudFront web ACL (us-east-1) is left ' +
        'to the account-wide WAF / Firewall Manager policy of the operator.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'No custom domain yet, so the distribution uses the default *.cloudfront.net certificate, ' +
        'whose minimum TLS version CloudFront fixes; set a domain and ACM certificate with ' +
        'TLSv1.2_2021 when one exists.',
    });

    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [Source.asset(props.sourceDir, { exclude: NOT_DEPLOYED })],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    // The deployment's handler is a CDK singleton at stack level, not under this construct.
    const stack = Stack.of(this);
    for (const handler of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      acknowledgeDeploymentHandler(handler, this.bucket);
    }

    this.url = `https://${this.distribution.distributionDomainName}`;
  }
}

/** cdk-nag findings on the BucketDeployment handler, a Lambda that CDK writes and runs only at deploy time. */
function acknowledgeDeploymentHandler(handler: IConstruct, bucket: Bucket): void {
  const stack = Stack.of(bucket);
  const bucketId = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnElement)) as string;
  const acks: [string, string][] = [
    [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK creates the BucketDeployment handler role with the basic execution policy (its own logs); ' +
        'the handler runs only during deploys, and the role is not configurable here.',
    ],
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
      (action): [string, string] => [
        `AwsSolutions-IAM5[Action::${action}]`,
        `CDK's BucketDeployment grants ${action} to copy the site asset from the CDK asset bucket into ` +
          'the site bucket and prune removed files; the resources are those two buckets only.',
      ],
    ),
    [
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'The handler reads the uploaded site asset, whose key (a content hash) is only known at deploy, from the CDK bootstrap asset bucket.',
    ],
    [
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      'The handler writes and prunes every object of the site bucket: the whole site is replaced on each deploy.',
    ],
    [
      'AwsSolutions-IAM5[Resource::*]',
      'Only cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on * for the cache ' +
        'invalidation after an upload; the handler runs only during deploys.',
    ],
    [
      'AwsSolutions-L1',
      'The BucketDeployment handler runtime is chosen by aws-cdk-lib (it ships the AWS CLI layer it ' +
        'needs); it moves with CDK upgrades and runs only during deploys.',
    ],
  ];
  for (const [id, reason] of acks) Validations.of(handler).acknowledge({ id, reason });
}
