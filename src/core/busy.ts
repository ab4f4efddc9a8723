/**
 * Whether a person is busy right now, judged from what their chat status says. Pure: the
 * adapter fetches the status and the do-not-disturb window; this decides what they mean.
 */

export type BusyReason = 'do not disturb' | 'in a meeting' | 'on a call' | 'out of office' | 'off sick' | 'on vacation';

export interface Busy {
  reason: BusyReason;
  /** When it ends (epoch ms); undefined when nobody said, which counts as the rest of the day. */
  until?: number;
}

export interface Status {
  emoji?: string;
  text?: string;
  /** Epoch ms when the status clears itself; undefined or 0 for never. */
  expiresAt?: number;
}

/**
 * Status emoji and words that mean "don't interrupt", checked in this order (the first match
 * names the reason). Emoji are the chat apps' own defaults and the calendar integrations'.
 */
const SIGNS: { reason: BusyReason; emoji: readonly string[]; words: RegExp }[] = [
  { reason: 'off sick', emoji: ['face_with_thermometer', 'sick', 'nauseated_face', 'mask'], words: /\b(sick|ill|unwell)\b/i },
  {
    reason: 'on vacation',
    emoji: ['palm_tree', 'airplane', 'beach_with_umbrella', 'desert_island'],
    words: /\b(vacation|vacationing|holiday|holidays|pto|annual leave|parental leave|on leave)\b/i,
  },
  { reason: 'out of office', emoji: ['no_entry', 'no_entry_sign', 'ooo'], words: /\b(ooo|out of (the )?office|away until|off today)\b/i },
  {
    reason: 'on a call',
    emoji: ['phone', 'telephone_receiver', 'telephone', 'headphones', 'zoom', 'video_camera', 'studio_microphone', 'movie_camera'],
    words: /\b(call|calls|huddle|zoom|webex|teams call|on the phone|dialled in|dialed in|presenting)\b/i,
  },
  { reason: 'in a meeting', emoji: ['spiral_calendar_pad', 'calendar', 'date', 'busts_in_silhouette'], words: /\b(meeting|meetings|mtg|interview|1:1|one-on-one|standup|stand-up|workshop|busy)\b/i },
];

const emojiName = (emoji: string | undefined) => (emoji ?? '').trim().replace(/^:|:$/g, '').replace(/::skin-tone-\d$/, '').toLowerCase();

/** The reason a status says "busy", or undefined; an expired status says nothing. */
export function busyFromStatus(status: Status, now: number): Busy | undefined {
  if (status.expiresAt && status.expiresAt <= now) return undefined;
  const emoji = emojiName(status.emoji);
  const text = status.text ?? '';
  const sign = SIGNS.find((s) => (emoji && s.emoji.includes(emoji)) || s.words.test(text));
  if (!sign) return undefined;
  return { reason: sign.reason, ...(status.expiresAt ? { until: status.expiresAt } : {}) };
}

/**
 * Both signs together: busy until the later of the two ends. An end nobody knows (a status
 * without expiry) wins, since the person may stay busy for the rest of the day.
 */
export function laterBusy(a: Busy | undefined, b: Busy | undefined): Busy | undefined {
  if (!a || !b) return a ?? b;
  if (a.until === undefined) return a;
  if (b.until === undefined) return b;
  return a.until >= b.until ? a : b;
}
