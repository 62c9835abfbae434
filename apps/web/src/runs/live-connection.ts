/** A subscription's status as @trpc/tanstack-react-query reports it. */
export type SubscriptionStatus = 'idle' | 'connecting' | 'pending' | 'error';

/**
 * What the page tells the user about its live view:
 * - `connecting`: never connected yet (the first load);
 * - `live`: events arrive as they are committed;
 * - `reconnecting`: it was live and lost the connection (network drop, server restart): what is
 *   shown may be out of date until it catches up;
 * - `stopped`: the subscription ended for good (it is restarted, so only briefly).
 */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export function liveConnection(status: SubscriptionStatus, everConnected: boolean): LiveConnection {
  if (status === 'pending') return 'live';
  if (status === 'idle') return 'stopped';
  return everConnected ? 'reconnecting' : 'connecting';
}

export const LIVE_LABEL: Record<LiveConnection, string> = {
  connecting: '○ connecting…',
  live: '● live',
  reconnecting: '⟳ reconnecting… the view may be out of date',
  stopped: '○ updates stopped',
};

/**
 * How long to wait before subscribing again after the subscription failed for good (the browser's
 * EventSource gives up on a response that is not an event stream, e.g. while a server starts):
 * 0.5 s doubling to at most 5 s.
 */
export function resubscribeDelay(failures: number): number {
  return Math.min(5_000, 500 * 2 ** Math.max(0, failures - 1));
}
