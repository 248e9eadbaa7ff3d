import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { StaticSite } from './constructs/static-site';
import { webDir } from './paths';

export interface SiteStackProps extends StackProps {
  readonly config: AppConfig;
}

/**
 * The static web site (`web/`) on S3 behind CloudFront. A stack of its own: it references nothing
 * in the other stacks, a CloudFront distribution takes minutes to create, update or delete (which
 * would slow every deploy of the API's code), and the stateless stack keeps its CloudFormation
 * resource budget for functions and their alarms.
 */
export class SiteStack extends Stack {
  readonly site: StaticSite;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, stackProps);
    this.site = new StaticSite(this, 'Site', { config, sourceDir: webDir });
    new CfnOutput(this, 'SiteUrl', { description: 'URL of the web site (CloudFront)', value: this.site.url });
  }
}
