/**
 * What an adapter reports about the interactions it handles (for /metrics), without knowing
 * how it is recorded. The composition root connects it to the app's metrics.
 */
export interface InteractionObserver {
  handled(platform: string, kind: 'command' | 'action', outcome: 'ok' | 'failed'): void;
  /** Seconds from the interaction's arrival to the platform's acknowledgement. */
  acknowledged(platform: string, seconds: number): void;
}

export const NO_OBSERVER: InteractionObserver = { handled: () => {}, acknowledged: () => {} };
