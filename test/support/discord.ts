/** Reading what the bot sent to the Discord emulator, and clicking its buttons. */
import type { DiscordEmulator, EmuUser, StoredMessage } from '../emulators/discord-emulator.js';

type Btn = { custom_id: string; label: string; style: number };

export const buttonsOf = (m: StoredMessage): Btn[] => m.components.flatMap((row: { components: Btn[] }) => row.components);
export const labels = (m: StoredMessage) => buttonsOf(m).map((b) => b.label);
export const title = (m: StoredMessage | undefined): string => m?.embeds[0]?.title ?? '';
export const body = (m: StoredMessage | undefined): string => m?.embeds[0]?.description ?? '';

/** Clicks the button with this label (or, failing an exact match, the first that starts with it). */
/** Clicks a button and resolves once the bot's answer is in (after a deferral: its edit too). */
export async function press(emu: DiscordEmulator, user: EmuUser, message: StoredMessage, label: string) {
  const buttons = buttonsOf(message);
  const b = buttons.find((x) => x.label === label) ?? buttons.find((x) => x.label.startsWith(label));
  if (!b) throw new Error(`no "${label}" button on "${title(message)}"; it has: ${labels(message).join(', ')}`);
  const r = await emu.click({ user, message, customId: b.custom_id });
  if (r.type === 5 || r.type === 6) await emu.answered(r);
  return r;
}

/** The bot's requests to open a DM channel with this user. */
export const dmOpensFor = (emu: DiscordEmulator, userId: string) =>
  emu.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels' && r.body?.recipient_id === userId);
