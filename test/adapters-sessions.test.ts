/**
 * Guided sessions end to end, written once and run on every platform: the real app (built by
 * createApp from the platform's variables) against the platform's local emulator, driven
 * through a PlatformDriver (test/support/drivers). Platform-only behaviour (Discord deferral,
 * Slack response_url details, payload guards, notifiers) lives in test/<platform>-adapter.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, groupMessageKnown, type Msg, type PlatformDriver } from './support/drivers/index.js';

const FULL = [
  'Running on the Spot (warm-up)',
  'Jumping Jacks (warm-up)',
  'Neck Rolls (warm-up)',
  'Neck Flexion',
  'Shoulder Roll',
  "Child's Pose",
  'Thoracic Extension',
  'Trunk Rotation',
  'Overhead Arm Reach',
  'Cat-Cow',
  'Knee to Chest',
  'Wall Stretch',
];
const NECK = ['Neck Rolls (warm-up)', 'Neck Flexion', 'Shoulder Roll', 'Wall Stretch'];
const ROUTINES = ['Full routine', 'Desk break', 'Neck and shoulders', 'Floor stretches'];
const ACTIVE = ['Skip', 'Pause', 'Stop', 'It hurts'];

describe.each(DRIVERS)('$name: guided sessions through the real client library', ({ make }) => {
  const d: PlatformDriver = make();
  /** A fresh person for each test, so no test sees another's sessions or DMs. */
  const person = (name: string, spec?: Parameters<PlatformDriver['user']>[1]) => d.user(name, spec);

  /** How the session card titles step `i` of a routine, from the shipped content. */
  const stepTitle = (routineId: string, i: number) => {
    const id = d.app.catalogue.routines.find((r) => r.id === routineId)!.exerciseIds[i]!;
    const ex = d.app.catalogue.exercises.get(id)!;
    return `${ex.name}${ex.kind === 'warm-up' ? ' (warm-up)' : ''}`;
  };

  /** The hold-timer button a timed step offers (after Next/Back), from the shipped content. */
  const timerButton = (routineId: string, i: number): string[] => {
    const id = d.app.catalogue.routines.find((r) => r.id === routineId)!.exerciseIds[i]!;
    const t = d.app.catalogue.exercises.get(id)!.timing;
    const seconds = t.holdSeconds ?? t.durationSeconds;
    return seconds ? [`⏱ Start timer (${seconds} s)`] : [];
  };

  const privateTo = (m: Msg, userId: string) => {
    expect(m.ephemeral, m.title).toBe(true);
    expect(m.visibleTo, m.title).toBe(userId);
  };

  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('shows the routine picker, privately, for a bare /stretch and for start without a routine; picking turns it into step 1', async () => {
    const alice = person('alice');
    expect(d.app.catalogue.routines.map((r) => r.name)).toEqual(ROUTINES);
    for (const text of ['', 'start']) {
      const mark = d.mark();
      const picker = await d.command(alice, text);
      privateTo(picker, alice.id);
      expect(picker.where).toBe('channel');
      expect(picker.title).toBe('Time for a stretch break');
      expect(picker.text).toContain('Pick a routine:');
      expect(picker.buttons.map((l) => l.replace(/ \(about \d+ min\)$/, ''))).toEqual(ROUTINES);
      // Answered, not posted: the channel saw nothing.
      expect(d.requestsSince(mark)).toEqual(['reply']);
    }
    const picker = await d.command(alice, '');
    expect(await d.click(alice, picker, 'Neck and shoulders')).toEqual({ updated: true });
    expect(picker.title).toBe(NECK[0]);
    expect(picker.text).toContain('Step 1 of 4');
    expect(d.channelPosts()).toEqual([]);
  });

  it('walks `start full` through all 12 exercises with Next to the summary; Go again starts over', async () => {
    const bob = person('bob');
    expect(FULL.map((_, i) => stepTitle('full', i))).toEqual(FULL);
    const msg = await d.command(bob, 'start full');
    privateTo(msg, bob.id);
    for (let i = 0; i < FULL.length; i += 1) {
      const last = i === FULL.length - 1;
      expect(msg.title).toBe(FULL[i]);
      expect(msg.text).toContain(`Step ${i + 1} of 12`);
      expect(msg.buttons).toEqual([last ? 'Done' : 'Next', ...(i > 0 ? ['Back'] : []), ...timerButton('full', i), ...ACTIVE]);
      if (last) expect(msg.text).toContain('Step 12 of 12 ▰▰▰▰▰▰▰▰▰▰▰▰');
      expect(await d.click(bob, msg, last ? 'Done' : 'Next')).toEqual({ updated: true });
    }
    expect(msg.edits).toBe(12);
    expect(msg.title).toBe('🎉 Routine complete');
    expect(msg.text).toContain('Full routine: 12 of 12 exercises done.');
    expect(msg.buttons).toEqual(['Go again']);

    expect(await d.click(bob, msg, 'Go again')).toEqual({ updated: true });
    expect(msg.title).toBe(FULL[0]);
    expect(msg.text).toContain('Step 1 of 12');
  });

  it('goes Back and Skips, and the summary counts the skip', async () => {
    const cara = person('cara');
    const msg = await d.command(cara, 'start neck');
    expect(msg.buttons).not.toContain('Back');
    await d.click(cara, msg, 'Next');
    expect(msg.title).toBe(NECK[1]);
    await d.click(cara, msg, 'Back');
    expect(msg.title).toBe(NECK[0]);
    expect(msg.text).toContain('Step 1 of 4');
    await d.click(cara, msg, 'Skip');
    expect(msg.title).toBe(NECK[1]);
    await d.click(cara, msg, 'Next');
    await d.click(cara, msg, 'Next');
    expect(msg.buttons[0]).toBe('Done');
    await d.click(cara, msg, 'Done');
    expect(msg.text).toContain('Neck and shoulders: 3 of 4 exercises done, 1 skipped');
  });

  /** Asserts the message shows exercise `exerciseId`'s animated picture, with its alt text from the content. */
  const showsPictureOf = async (m: Msg, exerciseId: string) => {
    const want = d.app.pictures.get(exerciseId)!;
    const shown = await m.picture();
    expect(shown, `${m.title}: picture`).toBeDefined();
    expect(shown!.name).toBe(want.gifFile);
    expect(shown!.alt).toBe(d.app.catalogue.exercises.get(exerciseId)!.pose!.alt);
    expect(shown!.contentType).toBe('image/gif');
    expect(shown!.bytes.equals(readFileSync(want.gifPath))).toBe(true);
  };

  it("every step shows its exercise's animated picture; a step change swaps it, the summary has none", async () => {
    const ivy = person('ivy');
    const neck = d.app.catalogue.routines.find((r) => r.id === 'neck')!.exerciseIds;
    const msg = await d.command(ivy, 'start neck');
    for (let i = 0; i < neck.length; i += 1) {
      await showsPictureOf(msg, neck[i]!);
      await d.click(ivy, msg, i === neck.length - 1 ? 'Done' : 'Next');
    }
    expect(msg.title).toBe('🎉 Routine complete');
    expect(await msg.picture()).toBeUndefined();
    // A paused step still shows the exercise; the "It hurts" card does not.
    expect((await d.command(ivy, 'dm neck')).title).toBe('Check your DMs');
    const inDm = d.dms(ivy).at(-1)!;
    await showsPictureOf(inDm, neck[0]!);
    await d.click(ivy, inDm, 'Next');
    await showsPictureOf(inDm, neck[1]!);
    await d.click(ivy, inDm, 'Pause');
    await showsPictureOf(inDm, neck[1]!);
    await d.click(ivy, inDm, 'Resume');
    await d.click(ivy, inDm, 'It hurts');
    expect(await inDm.picture()).toBeUndefined();
  });

  it('pauses and resumes, and Stop ends the session', async () => {
    const dan = person('dan');
    const desk = d.app.catalogue.routines.find((r) => r.id === 'desk')!.exerciseIds;
    const msg = await d.command(dan, 'start desk');
    await d.click(dan, msg, 'Next');
    await d.click(dan, msg, 'Pause');
    expect(msg.title).toBe(stepTitle('desk', 1));
    expect(msg.text).toContain('⏸ Paused');
    expect(msg.buttons).toEqual(['Resume', 'Stop']);
    await d.click(dan, msg, 'Resume');
    expect(msg.title).toBe(stepTitle('desk', 1));
    expect(msg.text).not.toContain('Paused');
    expect(msg.buttons).toEqual(['Next', 'Back', ...timerButton('desk', 1), ...ACTIVE]);
    await d.click(dan, msg, 'Stop');
    expect(msg.title).toBe('Session ended');
    expect(msg.text).toContain(`1 of ${desk.length} exercises done`);
    expect(msg.buttons).toEqual(['Go again']);
  });

  it('"It hurts" shows the safety card; skipping on carries on and the summary says why', async () => {
    const erin = person('erin');
    const msg = await d.command(erin, 'start floor');
    await d.click(erin, msg, 'It hurts');
    expect(msg.title).toBe(`Stop ${d.app.catalogue.exercises.get(d.app.catalogue.routines.find((r) => r.id === 'floor')!.exerciseIds[0]!)!.name} now`);
    expect(msg.text).toContain('Pain means stop.');
    expect(msg.buttons).toEqual(['Try the easier version', 'Skip it from now on', 'Skip this time', 'End session']);
    await d.click(erin, msg, 'Skip this time');
    expect(msg.title).toBe(stepTitle('floor', 1));
    await d.click(erin, msg, 'It hurts');
    await d.click(erin, msg, 'End session');
    expect(msg.title).toBe('Session ended');
    expect(msg.text).toContain('2 stopped because it hurt');
  });

  it('handles Back, Skip, Pause, Resume, "It hurts" and Stop in one session, refuses an old button, and sums it all up', async () => {
    const fay = person('fay');
    const msg = await d.command(fay, 'start neck');
    await d.click(fay, msg, 'Next');
    expect(msg.title).toBe(NECK[1]);
    const staleNext = msg.buttonIds[0]!;

    await d.click(fay, msg, 'Back');
    expect(msg.title).toBe(NECK[0]);
    expect(msg.text).toContain('Step 1 of 4');

    // A button from an earlier step is refused privately, and the message is left alone.
    const edits = msg.edits;
    const old = await d.clickId(fay, msg, staleNext);
    expect(old.updated).toBe(false);
    privateTo(old.reply!, fay.id);
    expect(old.reply!.title).toBe('Old button');
    expect(msg.title).toBe(NECK[0]);
    expect(msg.edits).toBe(edits);

    await d.click(fay, msg, 'Skip');
    expect(msg.title).toBe(NECK[1]);
    await d.click(fay, msg, 'Pause');
    expect(msg.title).toBe(NECK[1]);
    expect(msg.text).toContain('⏸ Paused');
    expect(msg.buttons).toEqual(['Resume', 'Stop']);
    await d.click(fay, msg, 'Resume');
    expect(msg.buttons).toEqual(['Next', 'Back', ...timerButton('neck', 1), ...ACTIVE]);

    await d.click(fay, msg, 'It hurts');
    expect(msg.title).toBe(`Stop ${NECK[1]} now`);
    await d.click(fay, msg, 'Skip this time');
    expect(msg.title).toBe(NECK[2]);

    await d.click(fay, msg, 'Stop');
    expect(msg.title).toBe('Session ended');
    expect(msg.text).toContain('Neck and shoulders: 0 of 4 exercises done, 1 skipped, 1 stopped because it hurt, 2 not reached.');
    expect(msg.text).toContain('talk to a doctor');
  });

  it('a double click moves the session once and answers the other click privately', async () => {
    const gus = person('gus');
    const msg = await d.command(gus, 'start full');
    const next = msg.buttonIds[0]!;
    const results = await Promise.all([d.clickId(gus, msg, next), d.clickId(gus, msg, next)]);
    expect(results.map((r) => r.updated).sort()).toEqual([false, true]);
    const reply = results.find((r) => !r.updated)!.reply!;
    privateTo(reply, gus.id);
    // Refused as already handled, or as an old button if the first click had finished by then.
    expect(reply.title).toMatch(/^(Already handled|Old button)$/);
    expect(msg.text).toContain('Step 2 of 12');
    expect(msg.edits).toBe(1);
  });

  it('`dm neck` sends the routine by DM (then confirms privately) and its buttons work there to the end', async () => {
    const hal = person('hal');
    const mark = d.mark();
    const note = await d.command(hal, 'dm neck');
    privateTo(note, hal.id);
    expect(note.title).toBe('Check your DMs');
    expect(note.text).toContain('Neck and shoulders');
    // The DM first, then the note that points to it.
    expect(d.requestsSince(mark)).toEqual(['open dm', 'post dm', 'reply']);

    const [dm, ...rest] = d.dms(hal);
    expect(rest).toEqual([]);
    expect(dm!.ephemeral).toBe(false);
    expect(dm!.where).toBe('dm');
    for (let i = 0; i < NECK.length; i += 1) {
      expect(dm!.title).toBe(NECK[i]);
      expect(dm!.text).toContain(`Step ${i + 1} of 4`);
      expect(await d.click(hal, dm!, i === NECK.length - 1 ? 'Done' : 'Next')).toEqual({ updated: true });
    }
    expect(dm!.title).toBe('🎉 Routine complete');
    expect(dm!.text).toContain('Neck and shoulders: 4 of 4 exercises done.');

    // The DM channel is remembered: the next DM session opens nothing.
    const again = d.mark();
    expect((await d.command(hal, 'dm desk')).title).toBe('Check your DMs');
    expect(d.dmOpens(hal, again)).toBe(0);
    expect(d.dmOpens(hal)).toBe(1);
    expect(d.dms(hal)).toHaveLength(2);
  });

  it('`dm` without a routine offers the picker; picking sends the routine by DM and turns the picker into a note', async () => {
    const ida = person('ida');
    const picker = await d.command(ida, 'dm');
    privateTo(picker, ida.id);
    expect(picker.title).toBe('Time for a stretch break');
    expect(await d.click(ida, picker, 'Desk break')).toEqual({ updated: true });
    expect(picker.title).toBe('Check your DMs');
    const [dm, ...rest] = d.dms(ida);
    expect(rest).toEqual([]);
    expect(dm!.title).toBe(stepTitle('desk', 0));
    expect(dm!.title).toBe('Neck Rolls (warm-up)');
    expect(dm!.text).toContain('Step 1 of 5');
  });

  it('answers /stretch typed in the bot DM with a normal message in that DM', async () => {
    const jo = person('jo');
    const msg = await d.command(jo, 'start floor', { in: 'dm' });
    expect(msg.ephemeral).toBe(false);
    expect(msg.where).toBe('dm');
    expect(msg.title).toBe("Child's Pose");
    expect(d.dms(jo)).toEqual([msg]);
    expect(await d.click(jo, msg, 'Next')).toEqual({ updated: true });
    expect(msg.title).toBe('Trunk Rotation');
    expect(msg.text).toContain('Step 2 of');
  });

  it('explains, privately, when the platform will not let it DM the user, and sends nothing more', async () => {
    const kim = person('kim', { dmsClosed: true });
    const mark = d.mark();
    const r = await d.command(kim, 'dm neck');
    privateTo(r, kim.id);
    expect(r.title).toBe(d.says.cannotDm.title);
    expect(r.text).toContain(d.says.cannotDm.mentions);
    await new Promise((res) => setTimeout(res, 50));
    expect(d.requestsSince(mark).filter((x) => x === 'reply')).toHaveLength(1);
    expect(d.dms(kim)).toEqual([]);
  });

  it('answers an unknown routine with a private error listing the routines', async () => {
    const lee = person('lee');
    const r = await d.command(lee, 'start yoga-for-cats');
    privateTo(r, lee.id);
    expect(r.title).toBe('Unknown routine');
    expect(r.text).toContain('I don\'t have a routine called "yoga-for-cats". Try one of: full, desk, neck, floor');
  });

  it('answers list, help and an unknown subcommand privately', async () => {
    const max = person('max');
    const list = await d.command(max, 'list');
    privateTo(list, max.id);
    expect(list.title).toBe('Routines');
    expect(list.text).toContain('Full routine (full): 12 exercises');
    expect(list.text).toContain('/stretch start <routine>');
    const help = await d.command(max, 'help');
    privateTo(help, max.id);
    expect(help.title).toBe('Stretch coach');
    expect(help.text).toContain('/stretch dm [routine]');
    const unknown = await d.command(max, 'moonwalk');
    privateTo(unknown, max.id);
    expect(unknown.text).toContain('I don\'t know "moonwalk"');
  });

  it('refuses forged button ids politely, on a picker and on a DM session, leaving the messages alone', async () => {
    const ned = person('ned');
    const picker = await d.command(ned, '');
    await d.command(ned, 'dm neck');
    const [dm] = d.dms(ned);
    const forged: Array<[string, string]> = [
      ['s:zzzzzzzzzz:0:next', 'Session not found'],
      ['s:zzzzzzzzzz:0:explode', 'Unknown button'],
      ["'; drop table sessions; --", 'Unknown button'],
      ['s:../../etc:0:next', 'Unknown button'],
      ['pick:here:nope', 'Unknown routine'],
      ['x'.repeat(d.maxActionId), 'Unknown button'],
    ];
    for (const msg of [picker, dm!]) {
      const before = { title: msg.title, text: msg.text, buttons: msg.buttons };
      for (const [id, title] of forged) {
        const r = await d.clickId(ned, msg, id);
        expect(r.updated, id).toBe(false);
        privateTo(r.reply!, ned.id);
        expect(r.reply!.title, id).toBe(title);
      }
      expect({ title: msg.title, text: msg.text, buttons: msg.buttons }).toEqual(before);
      expect(msg.edits).toBe(0);
    }
  });

  it("refuses another user's click on someone's session, on a DM and on a private session message", async () => {
    const oli = person('oli');
    const mallory = person('mallory');
    await d.command(oli, 'dm neck');
    const [dm] = d.dms(oli);
    const mark = d.mark();
    const other = await d.click(mallory, dm!, 'Next');
    expect(other.updated).toBe(false);
    privateTo(other.reply!, mallory.id);
    expect(other.reply!.title).toBe('Not your session');
    expect(dm!.edits).toBe(0);
    expect(dm!.title).toBe(NECK[0]);
    expect(d.requestsSince(mark)).toEqual(['reply']);

    const mine = await d.command(oli, 'start desk');
    const theirs = await d.click(mallory, mine, 'Next');
    expect(theirs.reply!.title).toBe('Not your session');
    expect(mine.title).toBe('Neck Rolls (warm-up)');
    expect(mine.edits).toBe(0);
  });

  it('three people in one live group session: join, host-only buttons, host leaves, finish, stats of each', async () => {
    const [pam, quinn, rob] = [person('pam'), person('quinn'), person('rob')];
    const before = d.channelPosts().length;
    const [msg, ...rest] = await d.commandReplies(pam, 'group neck', 1);
    expect(rest).toEqual([]);
    expect(msg!.ephemeral).toBe(false);
    expect(msg!.where).toBe('channel');
    expect(d.channelPosts().slice(before)).toEqual([msg]);
    expect(msg!.title).toBe(NECK[0]);
    expect(msg!.text).toContain('Step 1 of 4');
    expect(msg!.text).toContain('Neck and shoulders, together');
    expect(msg!.text).toContain('Taking part (1)');
    expect(msg!.buttons).toEqual(['Join', 'Leave', 'Next', 'Skip', 'Stop']);
    expect(await msg!.picture()).toBeDefined();

    expect(await d.click(quinn, msg!, 'Join')).toEqual({ updated: true });
    expect(await d.click(rob, msg!, 'Join')).toEqual({ updated: true });
    expect(msg!.text).toContain('Taking part (3)');
    for (const p of [pam, quinn, rob]) expect(msg!.text).toContain(p.id);

    const refused = await d.click(quinn, msg!, 'Next');
    expect(refused.updated).toBe(false);
    privateTo(refused.reply!, quinn.id);
    expect(refused.reply!.title).toBe('Host only');
    expect(refused.reply!.text).toContain('Only the host moves the group on');
    expect(msg!.text).toContain('Step 1 of 4');

    expect(await d.click(pam, msg!, 'Next')).toEqual({ updated: true });
    expect(msg!.title).toBe(NECK[1]);
    expect(await d.click(pam, msg!, 'Leave')).toEqual({ updated: true });
    expect(msg!.text).toContain('the longest-standing participant is the host now');
    expect(msg!.text).toContain(`${quinn.id}> (host)`);
    expect(msg!.text).toContain('Taking part (2)');

    for (const label of ['Next', 'Next', 'Done']) expect(await d.click(quinn, msg!, label)).toEqual({ updated: true });
    expect(msg!.title).toBe('🎉 2 people finished the Neck and shoulders together');
    expect(msg!.buttons).toEqual([]);

    for (const p of [quinn, rob]) expect((await d.command(p, 'stats')).text).toContain('1 routine completed, 4 exercises done.');
    // Pam left after the first step: she gets what she did, not a completion.
    expect((await d.command(pam, 'stats')).text).toContain('0 routines completed, 1 exercises done.');

    const second = await d.command(rob, 'group desk');
    expect(second.where).toBe('channel');
    const pointed = await d.command(pam, 'group');
    privateTo(pointed, pam.id);
    expect(pointed.title).toBe('A group session is already live here');
    expect(await d.click(rob, second, 'Stop')).toEqual({ updated: true });
  });

  it('a group session survives a restart, and closes itself after 30 idle minutes by editing its message', async () => {
    const [uma, val] = [person('uma'), person('val')];
    const msg = await d.command(uma, 'group neck');
    expect(await d.click(val, msg, 'Join')).toEqual({ updated: true });
    await d.restart();
    expect(await d.click(uma, msg, 'Next')).toEqual({ updated: true });
    expect(msg.title).toBe(NECK[1]);
    expect(msg.text).toContain('Taking part (2)');
    const edits = msg.edits;

    d.clock.advance(29 * 60_000);
    expect(await d.app.idleGroups.runDue()).toBe(0);
    d.clock.advance(60_000);
    expect(await d.app.idleGroups.runDue()).toBe(1);
    expect(msg.edits).toBe(edits + 1);
    expect(msg.title).toBe('Group session ended');
    expect(msg.text).toContain('Nobody pressed a button for 30 minutes');
    expect(msg.buttons).toEqual([]);
    expect((await d.command(val, 'stats')).text).toContain('0 routines completed, 1 exercises done.');
  });

  it('a group nobody ever clicked on closes itself after 30 idle minutes by editing its own message into the summary', async () => {
    const wes = person('wes');
    const msg = await d.command(wes, 'group neck');
    await groupMessageKnown(d);
    expect(msg.edits).toBe(0);
    d.clock.advance(30 * 60_000);
    expect(await d.app.idleGroups.runDue()).toBe(1);
    expect(msg.edits).toBe(1);
    expect(msg.title).toBe('Group session ended');
    expect(msg.text).toContain('Nobody pressed a button for 30 minutes');
    expect(msg.buttons).toEqual([]);
  });

  it('answers stats and the personal commands privately', async () => {
    const rae = person('rae');
    const none = await d.command(rae, 'stats');
    privateTo(none, rae.id);
    expect(none.title).toBe('Your stretch stats');
    expect(none.text).toContain('No finished sessions yet');
    const msg = await d.command(rae, 'start neck');
    for (const label of ['Next', 'Next', 'Next', 'Done']) await d.click(rae, msg, label);
    const stats = await d.command(rae, 'stats');
    expect(stats.text).toContain('Streak: 1 day (best 1 day)');
    expect(stats.text).toContain('This week: 1 session');

    for (const [text, title] of [
      ['optin', 'Opted in'],
      ['optout', 'Opted out'],
      ['optout', 'Not opted in'],
      ['pause 2h', 'DMs paused'],
      ['resume', 'DMs back on'],
      ['resume', 'Not paused'],
      ['settings timezone Europe/Berlin', 'Time zone saved'],
      // On Slack a bare `settings` opens the settings form instead (test/slack-forms.test.ts).
      ...(d.name === 'slack' ? [] : ([['settings', 'Your settings']] as const)),
    ] as const) {
      const r = await d.command(rae, text);
      privateTo(r, rae.id);
      expect(r.title, text).toBe(title);
    }
  });

  it('sets, lists and removes a personal reminder', async () => {
    const sam = person('sam');
    const add = await d.command(sam, 'remind add weekdays 11:00 desk');
    privateTo(add, sam.id);
    const id = /^Reminder (\S+) set$/.exec(add.title)?.[1];
    expect(id, add.title).toBeDefined();
    const list = await d.command(sam, 'remind list');
    expect(list.text).toContain(`${id} · weekdays 11:00 · UTC · desk`);
    const removed = await d.command(sam, `remind remove ${id}`);
    expect(removed.title).toBe('Reminder removed');
  });

  it('a DM session survives a restart: a new app on the same database continues it', async () => {
    const tia = person('tia');
    await d.command(tia, 'dm neck');
    const [dm] = d.dms(tia);
    await d.click(tia, dm!, 'Next');
    expect(dm!.text).toContain('Step 2 of 4');
    const before = d.app;
    await d.restart();
    expect(d.app).not.toBe(before);
    expect(await d.click(tia, dm!, 'Next')).toEqual({ updated: true });
    expect(dm!.title).toBe(NECK[2]);
    expect(dm!.text).toContain('Step 3 of 4');
  });
});
