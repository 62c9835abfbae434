import type { FlowDefinitionInput } from '@atomflow/model';

/**
 * The example flows a fresh database starts with: each opens in the designer and runs from the
 * run dialog as it is (no inputs to type), and each shows one idea of atomflow.
 */

export const ORDER_SAGA_ID = 'example-order-saga';
export const HTTP_PIPELINE_ID = 'example-http-retry';
export const APPROVAL_ID = 'example-refund-approval';

const row = (names: readonly string[], y = 0, x0 = 0, step = 280): Record<string, { x: number; y: number }> =>
  Object.fromEntries(names.map((n, i) => [n, { x: x0 + i * step, y }]));

const ORDER = { orderId: 'A-1001', sku: 'WIDGET-42', quantity: 2, amount: 59.8, currency: 'EUR' };

/**
 * A saga: each step has a compensation (its revert). Shipping fails (the carrier is down), so the
 * run reverts the steps that succeeded, newest first: the card is refunded, then the stock released.
 */
export function orderSaga(): FlowDefinitionInput {
  return {
    id: ORDER_SAGA_ID,
    name: 'Example: order saga with compensation',
    description:
      'Reserve stock → charge the card → ship. Shipping fails on purpose (the carrier is down), so the run compensates: the completed steps are reverted in reverse order (refund the card, then release the stock) and the run ends REVERTED. Start a run and watch the atoms turn back. To see the order go through, select "ship" and set its failTimes to 0, save and run again.',
    root: {
      kind: 'linear',
      name: 'order-saga',
      description: 'Steps run in order; when one fails, the ones before it are reverted, newest first.',
      children: [
        {
          name: 'receive-order',
          type: 'test.echo',
          description: 'The incoming order (a constant here; in real life the run input).',
          config: { value: ORDER },
          provides: 'order',
        },
        {
          name: 'reserve-stock',
          type: 'test.echo',
          description: 'Reserves the items in the warehouse. Its revert releases the reservation.',
          config: { value: { reservationId: 'RES-7', sku: ORDER.sku, quantity: ORDER.quantity } },
          requires: ['order'],
          provides: 'reservation',
        },
        {
          name: 'charge-card',
          type: 'test.echo',
          description: 'Charges the customer. Its revert refunds the charge.',
          config: { value: { paymentId: 'PAY-3', amount: ORDER.amount, currency: ORDER.currency } },
          requires: ['order', 'reservation'],
          provides: 'payment',
        },
        {
          name: 'ship',
          type: 'test.fail',
          description:
            'Books the shipment: fails on purpose, which starts the compensation. Set failTimes to 0 (never fail) to let the order through.',
          config: { value: { trackingNumber: 'TRK-123456' } },
          requires: ['order', 'reservation', 'payment'],
          provides: 'shipment',
        },
      ],
    },
    ui: { positions: row(['receive-order', 'reserve-stock', 'charge-card', 'ship']), collapsed: [] },
  };
}

/**
 * Calls this server's deliberately flaky demo endpoint (503 twice, then 200) under a retry
 * controller with exponential backoff, then posts the result to the demo echo endpoint.
 */
export function httpPipeline(): FlowDefinitionInput {
  const flakyKey = 'example-http-retry';
  return {
    id: HTTP_PIPELINE_ID,
    name: 'Example: HTTP pipeline with retry and backoff',
    description: `Fetches a quote from a flaky service (it answers 503 twice, then 200) inside a group whose retry controller tries up to 5 times, waiting 300 ms, then 600 ms, 1.2 s… (exponential backoff). Then it logs the quote and posts it on. Both URLs are paths on this server's built-in demo endpoints (/api/demo/flaky and /api/demo/echo): a path is sent to the server running the flow, whatever its address.`,
    root: {
      kind: 'linear',
      name: 'http-pipeline',
      children: [
        {
          kind: 'linear',
          name: 'fetch-with-retry',
          description: 'Retried as a whole: a failed attempt is reverted, then the group runs again after the backoff delay.',
          retry: { kind: 'times', attempts: 5, delayMs: 300, backoff: { factor: 2, maxDelayMs: 5000 } },
          children: [
            {
              name: 'fetch-quote',
              type: 'http.request',
              description: 'GET from the flaky demo service: 503 on the first two calls, then 200 with JSON.',
              config: { url: `/api/demo/flaky?key=${flakyKey}&failures=2`, method: 'GET', timeoutMs: 5000, responseType: 'json' },
              provides: 'quote',
            },
          ],
        },
        {
          name: 'log-quote',
          type: 'log',
          description: 'Writes what came back to the run log.',
          config: { message: 'Quote {{quote.body.key}}: {{quote.body.message}} (HTTP {{quote.status}})', level: 'info' },
          requires: ['quote'],
        },
        {
          name: 'post-result',
          type: 'http.request',
          description: 'POSTs a JSON body to the demo echo endpoint, which answers with what it received.',
          config: {
            url: `/api/demo/echo?from=${HTTP_PIPELINE_ID}`,
            method: 'POST',
            body: { event: 'quote-fetched', source: HTTP_PIPELINE_ID },
            timeoutMs: 5000,
            responseType: 'json',
          },
          provides: 'receipt',
        },
      ],
    },
    ui: {
      positions: {
        'fetch-with-retry': { x: 0, y: 0 },
        'fetch-quote': { x: 24, y: 72 },
        'log-quote': { x: 360, y: 36 },
        'post-result': { x: 640, y: 36 },
      },
      collapsed: [],
    },
  };
}

/** A person approves (or rejects) a refund in a form before it is issued. */
export function refundApproval(): FlowDefinitionInput {
  return {
    id: APPROVAL_ID,
    name: 'Example: refund approval',
    description:
      'A refund request waits for a person: the run stops at "approve-refund" until someone opens it in the run view and fills in the form (the amount to refund and a note). Then the refund is issued with the approved amount.',
    root: {
      kind: 'linear',
      name: 'refund-approval',
      children: [
        {
          name: 'refund-request',
          type: 'test.echo',
          description: 'The customer’s request (a constant here; in real life the run input).',
          config: { value: { orderId: 'A-1001', requested: 59.8, currency: 'EUR', reason: 'Arrived damaged' } },
          provides: 'request',
        },
        {
          name: 'approve-refund',
          type: 'approval',
          description: 'Waits for a person to approve: open the run and answer the form.',
          config: {
            title: 'Approve the refund',
            instructions: 'Order A-1001 asks for a refund of 59.80 EUR (arrived damaged). Enter the amount to refund and a note.',
            form: {
              type: 'object',
              properties: {
                amount: { type: 'number', title: 'Amount to refund (EUR)', minimum: 0 },
                note: { type: 'string', title: 'Note for the customer' },
              },
              required: ['amount'],
            },
          },
          requires: ['request'],
          provides: 'decision',
        },
        {
          name: 'issue-refund',
          type: 'log',
          description: 'Issues the refund (here: a line in the run log).',
          config: { message: 'Refunding {{decision.amount}} EUR for order {{request.orderId}}: {{decision.note}}', level: 'info' },
          requires: ['request', 'decision'],
        },
      ],
    },
    ui: { positions: row(['refund-request', 'approve-refund', 'issue-refund']), collapsed: [] },
  };
}
