import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAPIError, MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type Message, type ModalSubmitInteraction } from 'discord.js';
import { notice, type Reply } from '../../core/card.js';
import { cardToDiscordMessage, type DiscordMessage } from './render.js';

/** The interactions the adapter answers. */
export type Handled = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * The message a new answer became: the message itself (an edit or follow-up returns it), or
 * `original` when it was the interaction response, which says nothing about it (see `original()`).
 */
export type Posted = Message | 'original' | undefined;

/** How often, and how long apart, `@original` is asked for again while Discord has not made it yet. */
const ORIGINAL_ATTEMPTS = 5;
const ORIGINAL_RETRY_MS = 100;

/**
 * Runs something on `@original`. Over HTTP our answer is the body of Discord's request, which
 * Discord may not have turned into a message yet when we touch it: a missing message is tried
 * again, briefly.
 */
async function onOriginal<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof DiscordAPIError && err.status === 404) || attempt >= ORIGINAL_ATTEMPTS) throw err;
      await sleep(ORIGINAL_RETRY_MS * attempt);
    }
  }
}

/**
 * Answers one interaction, in order, whatever state it is in: the first answer is the
 * interaction response, later ones edit or follow up. A timer defers the response if the
 * work takes longer than `deferAfterMs`, so Discord always gets its acknowledgement in time.
 */
export class Responder {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** A deferred reply ("… is thinking") that the next answer should replace. */
  private placeholder = false;
  private placeholderEphemeral = false;
  /** True once `@original` is the message whose button was clicked (update / deferUpdate). */
  private originalIsClicked = false;
  private readonly inDm: boolean;

  private ackReported = false;

  constructor(
    private readonly i: Handled,
    deferAfterMs: number,
    private readonly onDeferError: (err: unknown) => void,
    /** Called once, when Discord has the interaction's first answer (reply, update or deferral). */
    private readonly onAcknowledged: () => void = () => {},
  ) {
    this.inDm = !i.inGuild();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.acknowledgeNow();
    }, deferAfterMs);
  }

  private get acknowledged(): boolean {
    return this.i.deferred || this.i.replied;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      const result = await op();
      if (!this.ackReported && this.acknowledged) {
        this.ackReported = true;
        this.onAcknowledged();
      }
      return result;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Acknowledges now, while the answer is still being worked out (it is taking too long). */
  private acknowledgeNow(): void {
    this.enqueue(() => this.deferIfIdle()).catch(this.onDeferError);
  }

  private async deferIfIdle(): Promise<void> {
    if (this.acknowledged) return;
    // In a server most answers are for the invoker only; in a DM everything is private anyway.
    await this.defer(this.i.isButton() ? 'update' : 'ephemeral');
  }

  /** Acknowledges now, for an answer of this kind to follow as an edit of `@original`. */
  private async defer(target: Exclude<Reply['target'], 'dm' | 'form'>): Promise<void> {
    if (target === 'update' && this.i.isButton()) {
      await this.i.deferUpdate();
      this.originalIsClicked = true;
      return;
    }
    this.placeholderEphemeral = target !== 'channel' && !this.inDm;
    await this.i.deferReply(this.placeholderEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    this.placeholder = true;
  }

  /**
   * Opens a modal, which must be the interaction's first answer (Discord allows no modal
   * after a deferral, nor in answer to a submitted modal); otherwise `instead` is said privately.
   */
  showModal(modal: Parameters<ChatInputCommandInteraction['showModal']>[0], instead: DiscordMessage): Promise<void> {
    return this.enqueue(async () => {
      if (!this.acknowledged && !this.i.isModalSubmit()) {
        await this.i.showModal(modal);
        return;
      }
      await this.answer(instead, true);
    });
  }

  /** Resolves with the message a new answer became (an update of the clicked one: undefined). */
  send(target: Exclude<Reply['target'], 'dm' | 'form'>, message: DiscordMessage): Promise<Posted> {
    return this.enqueue(async () => {
      // A picture makes an answer slow to upload, and Discord takes no files in an answer over
      // HTTP: acknowledge at once and send the message with its files as the edit that follows.
      if (!this.acknowledged && message.files?.length) await this.defer(target);
      if (target === 'update' && this.i.isButton()) {
        await this.updateClicked(message);
        return undefined;
      }
      return this.answer(message, target !== 'channel');
    });
  }

  /** The interaction response's message (`@original`), in gateway and HTTP mode alike. */
  original(): Promise<Message> {
    return onOriginal(() => this.i.fetchReply());
  }

  /** Replaces the message whose button was clicked. */
  private async updateClicked(message: DiscordMessage): Promise<void> {
    const i = this.i as ButtonInteraction;
    if (!this.acknowledged) {
      await i.update(message);
      this.originalIsClicked = true;
    } else if (this.originalIsClicked) {
      await onOriginal(() => i.editReply(message));
    } else {
      // @original is now our own reply, not the clicked message: say it as a new private message.
      await i.followUp({ ...message, flags: MessageFlags.Ephemeral });
    }
  }

  /** A new message: private to the invoker (`ephemeral`) or for the whole channel. */
  private async answer(message: DiscordMessage, isEphemeral: boolean): Promise<Posted> {
    const flags = isEphemeral ? MessageFlags.Ephemeral : undefined;
    if (!this.acknowledged) {
      await this.i.reply({ ...message, ...(flags ? { flags } : {}) });
      return 'original';
    }
    if (this.placeholder) {
      this.placeholder = false;
      if (this.placeholderEphemeral === isEphemeral || this.inDm) return onOriginal(() => this.i.editReply(message));
      // The placeholder's visibility cannot change: post the answer as it should be, drop the placeholder.
      const posted = await this.i.followUp({ ...message, ...(flags ? { flags } : {}) });
      await this.i.deleteReply().catch(() => undefined);
      return posted;
    }
    return this.i.followUp({ ...message, ...(flags ? { flags } : {}) });
  }

  /** Called when every reply went out: an interaction must never be left unacknowledged. */
  finish(): Promise<void> {
    this.dispose();
    return this.enqueue(async () => {
      if (!this.acknowledged) {
        if (this.i.isButton()) await this.i.deferUpdate();
        else await this.i.reply({ ...cardToDiscordMessage(notice('Done', 'Nothing more to show.')), flags: MessageFlags.Ephemeral });
      } else if (this.placeholder) {
        this.placeholder = false;
        await this.i.editReply(cardToDiscordMessage(notice('Done', 'Nothing more to show.')));
      }
    });
  }

  /** The ephemeral apology, as a reply, a placeholder edit or a follow-up: whichever is still possible. */
  apologise(message: DiscordMessage): Promise<void> {
    this.dispose();
    return this.enqueue(async () => {
      if (!this.acknowledged) {
        await this.i.reply({ ...message, flags: MessageFlags.Ephemeral });
      } else if (this.placeholder) {
        this.placeholder = false;
        await this.i.editReply(message);
      } else {
        await this.i.followUp({ ...message, flags: MessageFlags.Ephemeral });
      }
    });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
