/**
 * The terminal coach: reads lines from stdin, prints cards to stdout. Works interactively
 * and with piped input (it stops at end of input), so it can be scripted.
 */
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import type { Button } from '../../core/card.js';
import type { Coach } from '../../core/coach.js';
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
  /** Exercise pictures, printed as text art with each step. */
  pictures?: TerminalPictureSource;
  /** Decides colour (NO_COLOR, COLORTERM); default process.env. */
  env?: Record<string, string | undefined>;
}

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
  let buttons: readonly Button[] = [];
  const color = colorModeFromEnv(opts.env ?? process.env);
  let rl: ReturnType<typeof createInterface> | undefined;

  const print = (text: string) => void output.write(text);

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
        : await opts.coach.handleAction({ ...ctx, actionId: input.button.id });
    const pictures = await Promise.all(replies.map((r) => terminalPicture(r.card, opts.pictures, color)));
    buttons = printReplies(replies, print, buttons, pictures);
    return true;
  }

  return {
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
    },
    stop(): void {
      rl?.close();
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
