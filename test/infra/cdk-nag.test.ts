import { Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addStacks } from '../../lib/app';
import { testApp, testConfig } from './helpers';

function acknowledgements(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  it.each(['test', 'prod'])('finds nothing unacknowledged in the %s app', { timeout: 120_000 }, (stage) => {
    // As bin/app.ts does it, with CDK's own CloudFormation validation on as well.
    const app = testApp({ cloudFormationValidation: true });
    addStacks(app, testConfig({ stage, allowedOrigins: ['https://app.example.com'] }));
    const checks = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(checks);

    expect(() => app.synth()).not.toThrow();
    expect(checks.validateScope(app).violations).toEqual([]);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const app = testApp();
    const { stateful } = addStacks(app, testConfig());
    new Bucket(stateful, 'UnloggedBucket');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('fails synthesis on a finding in a nested stack', () => {
    const app = testApp();
    const { stateless } = addStacks(app, testConfig());
    const [group] = [...stateless.api.routeGroups.values()];
    new Bucket(group!, 'UnloggedBucket');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('gives every acknowledgement a specific reason', () => {
    const app = testApp();
    addStacks(app, testConfig());

    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason, `${ack.id} on ${ack.path}`).toEqual(expect.any(String));
      expect((ack.reason as string).trim().length, `${ack.id} on ${ack.path}`).toBeGreaterThan(30);
    }
  });

  it('acknowledges nothing at app or stack level', () => {
    const app = testApp();
    const { stateful, stateless, site } = addStacks(app, testConfig());

    const stackPaths = [app.node.path, stateful.node.path, stateless.node.path, site.node.path, ...[...stateless.api.routeGroups.values()].map((group) => group.node.path)];
    const broad = acknowledgements(app).filter((ack) => stackPaths.includes(ack.path));
    expect(broad).toEqual([]);
  });
});
