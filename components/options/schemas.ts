// The answers the options page reads, from the one place both sides import them.
export { WorkflowSummary, WorkflowSummaryList } from '../../lib/contracts/workflow';
export { AdWithEligibility, AdCatalog } from '../../lib/contracts/ads';
export { WebhookTestResult } from '../../lib/contracts/webhooks';
