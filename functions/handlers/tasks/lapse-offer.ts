import { lapseStepDeps } from '../../adapters/wiring/waitlist';
import { lapseOffer } from '../../domain/waitlist';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('LapseOffer', (input: { offerId: string }) => lapseOffer(lapseStepDeps, input.offerId));
