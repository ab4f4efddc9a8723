/**
 * The terminal coach: reads lines from stdin, prints cards to stdout. Works interactively
 * and with piped input (it stops at end of input), so it can be scripted.
 */
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import type { Button, Card } from '../../core/card.js';
import type { Coach } from '../../core/coach.js';
import { DeliveryError, type Notifier } from '../../core/notifier.js';
import { systemClock, type Clock } from '../../core/ports.js';
import type { Logger } from '../../logger.js';
import { colorModeFromEnv } from '../../pictures/terminal-art.js';
import { parseLine } from './parse.js';
import { printReplies, TERMINAL_CAPABILITIES, terminalPicture, type TerminalPictureSource } from './deliver.js';
import { renderButtons } from './render.js';

export interface TerminalOptions {
  coach: Coach;
  logger: Logger;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  userId?: string;
  clock?: Clock;
  /** How often the countdown line is redrawn. */
  tickMs?: number;
  /** Exercise pictures, printed as text art with each step. */
  pictures?: TerminalPictureSource;
  /** Decides colour (NO_COLOR, COLORTERM); default process.env. */
  env?: Record<string, string | undefined>;
}

/** The terminal's one message: whatever card is on screen. */
export const TERMINAL_MESSAGE_REF = 'terminal';
/** After its end time, how long to wait for a timer's "Time's up" before leaving at end of input. */
const TIMER_GRACE_MS = 5_000;

const WELCOME = 'Stretch coach (terminal). Type /stretch to pick a routine, /stretch help for more, quit to leave.\n';

export function createTerminalCoach(opts: TerminalOptions) {
  const output = opts.output ?? process.stdout;
  const ctx = {
    platform: 'terminal' as const,
    workspaceId: 'local',
    userId: opts.userId ?? safeUserName(),
    channelId: 'terminal',
    isDm: false,
    caps: TERMINAL_CAPABILITIES,
  };
  const clock = opts.clock ?? systemClock;
  let buttons: readonly Button[] = [];
  const color = colorModeFromEnv(opts.env ?? process.env);
  let rl: ReturnType<typeof createInterface> | undefined;
  /** The running hold timer's countdown line, and who waits for it to end. */
  let countdown: { tick: NodeJS.Timeout; endsAt: number; done: () => void; ended: Promise<void> } | undefined;

  const print = (text: string) => void output.write(text);

  function endCountdown(): void {
    if (!countdown) return;
    clearInterval(countdown.tick);
    countdown.done();
    countdown = undefined;
    print('\n');
  }

  /** One line, redrawn in place: no scrolling wall of numbers. */
  function startCountdown(timer: NonNullable<Card['timer']>): void {
    endCountdown();
    const draw = () => print(`\r⏱ ${Math.max(0, Math.ceil((timer.endsAt - clock.now()) / 1000))} s left `);
    let done = () => {};
    const ended = new Promise<void>((resolve) => (done = resolve));
    countdown = { tick: setInterval(draw, opts.tickMs ?? 1000), endsAt: timer.endsAt, done, ended };
    countdown.tick.unref();
    draw();
  }

  async function show(replies: Parameters<typeof printReplies>[0]): Promise<void> {
    const pictures = await Promise.all(replies.map((r) => terminalPicture(r.card, opts.pictures, color)));
    endCountdown();
    buttons = printReplies(replies, print, buttons, pictures);
    const timer = replies.at(-1)?.card.timer;
    if (timer) startCountdown(timer);
  }

  /** The hold timers reach the screen through this: the card on screen is replaced by the new one. */
  const notifier: Notifier = {
    platform: 'terminal',
    postToChannel: () => Promise.reject(new DeliveryError('the terminal has no channels', true)),
    sendDm: () => Promise.reject(new DeliveryError('the terminal has no direct messages', true)),
    async edit(_workspaceId, _ref, card) {
      await show([{ target: 'update', card }]);
    },
  };

  async function handle(line: string): Promise<boolean> {
    const input = parseLine(line, buttons);
    switch (input.kind) {
      case 'empty':
        return true;
      case 'quit':
        return false;
      case 'unknown':
        print(
          buttons.length
            ? `"${input.text}" is not one of the choices. Type a number or a label: ${renderButtons(buttons)}\n`
            : `Type /stretch to start, or /stretch help.\n`,
        );
        return true;
    }
    const replies =
      input.kind === 'command'
        ? await opts.coach.handleCommand({ ...ctx, command: input.command })
        : await opts.coach.handleAction({ ...ctx, actionId: input.button.id, messageRef: TERMINAL_MESSAGE_REF });
    await show(replies);
    return true;
  }

  return {
    notifier,
    async run(): Promise<void> {
      print(WELCOME);
      rl = createInterface({ input: opts.input ?? process.stdin, terminal: false });
      for await (const line of rl) {
        try {
          if (!(await handle(line))) break;
        } catch (err) {
          opts.logger.error({ err }, 'terminal command failed');
          print('Sorry, something went wrong with that. Please try again.\n');
        }
      }
      rl.close();
      // Piped input ends at once: a running hold still gets its "Time's up" before we leave.
      if (countdown) {
        const wait = Math.max(0, countdown.endsAt - clock.now()) + TIMER_GRACE_MS;
        await Promise.race([countdown.ended, new Promise((resolve) => setTimeout(resolve, wait).unref())]);
        endCountdown();
      }
    },
    stop(): void {
      rl?.close();
      endCountdown();
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username || 'me';
  } catch {
    return 'me';
  }
}
