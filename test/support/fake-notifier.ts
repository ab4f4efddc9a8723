/** A Notifier (our own port, not a platform library) that records what it was asked to send. */
import type { Card } from '../../src/core/card.js';
import type { Platform } from '../../src/core/incoming.js';
import { DeliveryError, type DeliveryKey, type Notifier } from '../../src/core/notifier.js';

export interface Sent {
  kind: 'channel' | 'dm';
  workspaceId: string;
  target: string;
  card: Card;
  delivery?: DeliveryKey;
}

export class RecordingNotifier implements Notifier {
  sent: Sent[] = [];
  /** Targets whose sends fail: 'closed' permanently (DMs off), 'flaky' a given number of times. */
  failures = new Map<string, { kind: 'closed' } | { kind: 'flaky'; times: number }>();
  constructor(readonly platform: Platform = 'slack') {}

  private async send(kind: Sent['kind'], workspaceId: string, target: string, card: Card, delivery?: DeliveryKey) {
    const failure = this.failures.get(target);
    if (failure?.kind === 'closed') throw new DeliveryError('cannot_dm_user', true);
    if (failure?.kind === 'flaky' && failure.times > 0) {
      failure.times--;
      throw new Error('temporary network error');
    }
    this.sent.push({ kind, workspaceId, target, card, delivery });
  }
  postToChannel(workspaceId: string, channelId: string, card: Card, delivery?: DeliveryKey) {
    return this.send('channel', workspaceId, channelId, card, delivery);
  }
  sendDm(workspaceId: string, userId: string, card: Card, delivery?: DeliveryKey) {
    return this.send('dm', workspaceId, userId, card, delivery);
  }
  dmsTo(userId: string) {
    return this.sent.filter((s) => s.kind === 'dm' && s.target === userId);
  }
}

export const recordingAdapter = (notifier: RecordingNotifier) => ({
  name: notifier.platform,
  notifier,
  start: async () => {},
  stop: async () => {},
});
