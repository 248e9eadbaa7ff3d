import { offerNoticeDeps } from '../../adapters/wiring/waitlist';
import { notifyOffer } from '../../domain/waitlist';
import { workflowTask } from '../../tasks/workflow-task';

export const handler = workflowTask('NotifyOffer', (input: { offerId: string }) => notifyOffer(offerNoticeDeps, input.offerId));
