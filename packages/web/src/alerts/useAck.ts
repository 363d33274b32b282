/**
 * Acknowledging an alert: POST it, show it acked at once (the stream confirms it with the row's
 * next version), and report failures in the page's notice line.
 */
import { api, isTriggerRow } from '../api/client.ts';
import { notify } from '../app/notice.ts';
import { useDashboard } from '../stream/dashboard.ts';
import type { TriggerRow } from '../types.ts';

export function useAck(): (alert: TriggerRow, note?: string) => Promise<boolean> {
  const dash = useDashboard();
  return async (alert, note) => {
    try {
      const body = await api.ack(alert.id, note?.trim() || undefined);
      const row = isTriggerRow(body) ? body : { ...alert, status: 'acked' as const, ackedAt: Date.now(), ackNote: note?.trim() || null };
      dash.markAcked(row);
      return true;
    } catch (err) {
      notify(`Could not acknowledge the alert: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return false;
    }
  };
}
