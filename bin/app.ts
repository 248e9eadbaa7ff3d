import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addStacks } from '../lib/app';
import { loadConfig } from '../lib/config';

const app = new App();
addStacks(app, loadConfig(app));
// Any unacknowledged AwsSolutions finding fails synthesis (and so deploy).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
