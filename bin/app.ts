import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addStacks } from '../lib/app';
import { loadConfig } from '../lib/config';
import { isVerboseBundling } from '../lib/constructs/app-function';

const app = new App();
if (!isVerboseBundling(app)) {
  // aws-cdk-lib announces every asset it bundles on stderr (one line per function), whatever the
  // CLI's --quiet: keep synth's output to what needs reading unless bundling is asked about.
  const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    /^Bundling asset \S+\.\.\.\n$/.test(String(chunk)) ? true : write(chunk, ...rest)) as typeof process.stderr.write;
}
addStacks(app, loadConfig(app));
// Any unacknowledged AwsSolutions finding fails synthesis (and so deploy).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
