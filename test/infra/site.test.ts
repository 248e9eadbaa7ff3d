import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_DEPLOYED } from '../../lib/constructs/static-site';
import { webBuildDir } from '../../lib/paths';
import { arnOf, logicalIdOf, onlyResource, resourcesOfType, synthStacks, testConfig, type Statement } from './helpers';

describe('static web site', () => {
  const { site, siteTemplate: template } = synthStacks();
  const { bucket, logBucket, distribution } = site.site;
  const bucketId = logicalIdOf(bucket);
  const distributionConfig = onlyResource(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<
    string,
    unknown
  >;

  it('keeps both buckets private, encrypted and TLS-only, and logs access to the site bucket', () => {
    for (const b of [bucket, logBucket]) {
      const resource = resourcesOfType(template, 'AWS::S3::Bucket')[logicalIdOf(b)];
      expect(resource?.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      });
    }
    const siteBucket = resourcesOfType(template, 'AWS::S3::Bucket')[bucketId];
    expect(siteBucket?.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(logBucket) },
      LogFilePrefix: 'site-bucket/',
    });
  });

  it('lets only the distribution read the site bucket, and denies plain HTTP', () => {
    const policy = Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const statements = (policy?.Properties.PolicyDocument as { Statement: (Statement & { Principal?: unknown })[] }).Statement;

    // Apart from the deny on plain HTTP: the distribution may read objects, and (outside prod) the
    // stack's auto-delete handler may empty the bucket when the stack is deleted.
    const autoDeleteRole = Object.keys(resourcesOfType(template, 'AWS::IAM::Role')).find((id) => id.startsWith('CustomS3AutoDelete'));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual([
      { AWS: { 'Fn::GetAtt': [autoDeleteRole, 'Arn'] } },
      { Service: 'cloudfront.amazonaws.com' },
    ]);
    expect(allows[1]).toEqual({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Resource: { 'Fn::Join': ['', [arnOf(bucket), '/*']] },
      Condition: {
        StringEquals: {
          'AWS:SourceArn': {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: logicalIdOf(distribution) }],
            ],
          },
        },
      },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('serves the bucket through Origin Access Control, over HTTPS, with index.html at the root', () => {
    const [oacId, oac] = Object.entries(resourcesOfType(template, 'AWS::CloudFront::OriginAccessControl'))[0]!;
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    // The other origin is the HTTP API (site-api.test.ts).
    const s3Origin = (distributionConfig.Origins as Record<string, unknown>[]).find((origin) => origin.S3OriginConfig);
    expect(s3Origin).toEqual({
      Id: expect.any(String),
      DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(distributionConfig).toMatchObject({
      Enabled: true,
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', TargetOriginId: s3Origin?.Id },
      Logging: { Bucket: { 'Fn::GetAtt': [logicalIdOf(logBucket), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
    });
  });

  it("adds security headers, allowing the site's own scripts and Stripe.js, and no inline script", () => {
    const [policyId, policy] = Object.entries(resourcesOfType(template, 'AWS::CloudFront::ResponseHeadersPolicy'))[0]!;
    const config = (policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> })
      .SecurityHeadersConfig;
    expect(config.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 365 * 24 * 3600, Override: true });
    expect(config.ContentTypeOptions).toEqual({ Override: true });
    expect(config.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    const csp = config.ContentSecurityPolicy?.ContentSecurityPolicy as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("script-src 'self' https://js.stripe.com;");
    expect(csp).toContain('frame-src https://js.stripe.com https://hooks.stripe.com;');
    // The built app has no inline script for the policy to allow.
    expect(readFileSync(path.join(webBuildDir, 'index.html'), 'utf8')).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(distributionConfig.DefaultCacheBehavior).toMatchObject({ ResponseHeadersPolicyId: { Ref: policyId } });
  });

  it('uploads the built app to the site bucket, without source maps or the build manifest, and invalidates the distribution', () => {
    const deployment = onlyResource(template, 'Custom::CDKBucketDeployment');
    expect(NOT_DEPLOYED).toEqual(expect.arrayContaining(['*.map', '.vite']));
    expect(deployment.Properties).toMatchObject({
      DestinationBucketName: { Ref: bucketId },
      DistributionId: { Ref: logicalIdOf(distribution) },
      DistributionPaths: ['/*'],
    });
  });

  it('outputs the site URL', () => {
    template.hasOutput('SiteUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(distribution), 'DomainName'] }]] },
    });
  });

  it('retains the buckets in prod and empties and deletes them elsewhere', () => {
    const prod = synthStacks(testConfig({ stage: 'prod', allowedOrigins: ['https://app.example.com'] }));
    for (const resource of Object.values(resourcesOfType(prod.siteTemplate, 'AWS::S3::Bucket'))) {
      expect(resource.DeletionPolicy).toBe('Retain');
    }
    for (const resource of Object.values(resourcesOfType(template, 'AWS::S3::Bucket'))) {
      expect(resource.DeletionPolicy).toBe('Delete');
    }
    expect(Object.keys(resourcesOfType(template, 'Custom::S3AutoDeleteObjects'))).toHaveLength(2);
  });
});
