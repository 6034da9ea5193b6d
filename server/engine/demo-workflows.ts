import type { z } from 'zod';
import { WorkflowCreateBody } from '../../lib/contracts/workflow';
import { addDemoSeeder } from '../demo/seed';
import type { Services } from '../services';
import { createWorkflow } from './workflows/service';

// Sample workflows of the demo workspace: three shortcuts (with and without forms) and an
// incoming webhook, all published, so the launcher and the webhook tester show something real.

const demoWorkflows: z.input<typeof WorkflowCreateBody>[] = [
  {
    name: 'Request refund',
    status: 'published',
    trigger: {
      type: 'shortcut', icon: '💸', name: 'Request refund', description: 'Log a refund request for an order',
      form: {
        fields: [
          { label: 'Order ID', type: 'text', variable: 'orderId', required: true, placeholder: 'e.g. 1042' },
          { label: 'Reason', type: 'list', variable: 'reason', required: true, options: ['Damaged', 'Late', 'Wrong item'] },
          { label: 'Amount', type: 'number', variable: 'amount', required: false },
          { label: 'Callback date', type: 'date', variable: 'callbackDate', required: false },
        ],
      },
    },
    steps: [
      { id: 'note', type: 'add_comment', config: { text: 'Refund requested for order {{$trigger.orderId}} ({{$trigger.reason}}), amount {{$trigger.amount}}' } },
      { id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['refund-requested'] } },
      { id: 'order', type: 'update_contact_field', config: { field: 'order_id', value: '{{$trigger.orderId}}' } },
    ],
  },
  {
    name: 'Mark VIP',
    status: 'published',
    trigger: { type: 'shortcut', icon: '⭐', name: 'Mark VIP', description: 'Tag this contact as a VIP' },
    steps: [{ id: 'tag', type: 'update_contact_tag', config: { action: 'add', tags: ['vip'] } }],
  },
  {
    name: 'Schedule callback',
    status: 'published',
    trigger: {
      type: 'shortcut', icon: '📞', name: 'Schedule callback', description: 'Agree a time to call the contact back',
      form: {
        fields: [
          { label: 'Date', type: 'date', variable: 'callbackDate', required: true },
          { label: 'Time', type: 'time', variable: 'callbackTime', required: true },
          { label: 'Phone', type: 'phone', variable: 'callbackPhone', required: true, placeholder: '+14155550123' },
        ],
      },
    },
    steps: [
      { id: 'note', type: 'add_comment', config: { text: 'Callback on {{$trigger.callbackDate}} at {{$trigger.callbackTime}} to {{$trigger.callbackPhone}}' } },
      { id: 'date', type: 'update_contact_field', config: { field: 'callback_date', value: '{{$trigger.callbackDate}}' } },
    ],
  },
  {
    name: 'Order shipped',
    status: 'published',
    trigger: {
      type: 'incoming_webhook',
      identifier: { type: 'phone', jsonKey: '$.phone' },
      mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }],
    },
    steps: [{ id: 'note', type: 'add_comment', config: { text: 'Order {{$trigger.orderId}} shipped' } }],
  },
];

/** Each sample workflow not there yet (by name): a demo seed that stopped midway made some. */
export async function seedDemoWorkflows(services: Services): Promise<void> {
  const existing = new Set((await services.db.selectFrom('workflows').select('name').execute()).map((w) => w.name));
  for (const input of demoWorkflows) {
    if (!existing.has(input.name)) await createWorkflow(services, WorkflowCreateBody.parse(input));
  }
}

let registered = false;
/** Adds the demo workflows to the demo seed (once per process, however many apps are built). */
export function registerDemoWorkflows(): void {
  if (registered) return;
  registered = true;
  addDemoSeeder(seedDemoWorkflows);
}
