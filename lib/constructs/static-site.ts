import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import type { AppConfig } from '../config';

export interface StaticSiteProps {
  readonly config: AppConfig;
  /** Directory whose files are uploaded as they are. */
  readonly sourceDir: string;
}

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
 * The web site: a private bucket, readable only by one CloudFront distribution through Origin
 * Access Control, which serves it over HTTPS with security headers. The files of `sourceDir` are
 * uploaded (and the distribution's cache invalidated) on every deploy that changes them.
 * Server access logs of the site bucket and the distribution's standard logs go to a log bucket.
 */
export class StaticSite extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;
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

    const scriptHashes = inlineScriptHashes(props.sourceDir);
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Carpark Tenancy ${config.stage}: security headers of the web site`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
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

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Carpark Tenancy ${config.stage} web site`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        // The origin grants s3:GetObject to this distribution alone (condition on its ARN).
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
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
        'The distribution serves static files only (the API has its own throttling). A CloudFront ' +
        'web ACL (us-east-1) is left to the account-wide WAF / Firewall Manager policy of the operator.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'No custom domain yet, so the distribution uses the default *.cloudfront.net certificate, ' +
        'whose minimum TLS version CloudFront fixes; set a domain and ACM certificate with ' +
        'TLSv1.2_2021 when one exists.',
    });

    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [Source.asset(props.sourceDir)],
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
