/**
 * Channel break schedules end to end, written once and run on every platform: the real app
 * (createApp from the platform's variables, real client library) against the platform's
 * emulator, with a fake clock and no timers. Time moves only when a step sets the clock and
 * runs the minute sweep and the outbox drain, as the timers would.
 *
 * The steps of one platform share one bot, one database and one emulator, and run in order:
 * each builds on what the previous ones left.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeAction } from '../src/core/action-id.js';
import { DRIVERS, groupMessageKnown, peek, tick, type Msg, type PlatformDriver, type User } from './support/drivers/index.js';

const at = (iso: string) => Date.parse(iso);
/** Tuesday. Europe/Berlin is UTC+1 in November, so 10:30 Berlin is 09:30 UTC. */
const FIRE = at('2026-11-24T09:30:00Z');
const DESK_STEP_1 = 'Neck Rolls (warm-up)';
const NOTHING = { sent: 0, failed: 0, skipped: 0, retried: 0, waiting: 0 };
const PROMPT_BUTTONS = ['Start in DM', 'Join', 'Snooze 10 min', 'Not today'];
const DM_BUTTONS = ['Start', 'Snooze 10 min', 'Not today'];

describe.each(DRIVERS)('$name: channel break schedules through the real client library', ({ make }) => {
  const d: PlatformDriver = make();
  let ada: User; // may manage schedules
  let nell: User; // may not
  let ann: User; // opted in, no limits → DM
  let ben: User; // opted in, pauses DMs for a day → skipped until Wednesday
  let cai: User; // opted in, Berlin 13:00-17:00 → skipped at 10:30 Berlin, reached at 15:00
  let dee: User; // opted in, 09:00-17:00 UTC → DM; later snoozes, then "Not today"
  let eve: User; // never opts in

  let deskId = '';
  let fireId = '';
  let prompt: Msg;
  const privateTo = (m: Msg, u: User) => {
    expect(m.ephemeral, m.title).toBe(true);
    expect(m.visibleTo, m.title).toBe(u.id);
    expect(m.where, m.title).toBe('channel');
  };
  const rows = (sql: string, ...params: unknown[]) => peek(d.app, sql, ...params);
  const byTarget = (list: Array<Record<string, unknown>>) => [...list].sort((a, b) => String(a.target_id).localeCompare(String(b.target_id)));
  const outboxRow = (u: User | string, status: string, detail: string | null, kind = 'dm') =>
    ({ kind, target_id: typeof u === 'string' ? u : u.id, reason: kind === 'dm' ? 'optin' : 'prompt', status, detail });
  const promptVerbs = (m: Msg) => m.buttonIds.map((id) => decodeAction(id));
  const asPrompt = (verbs: string[]) => verbs.map((verb) => ({ kind: 'prompt', promptId: fireId, verb }));
  /** A prompt for the desk routine shows its first exercise's picture, with the alt text from the content. */
  const showsFirstPicture = async (m: Msg) => {
    const first = d.app.catalogue.routines.find((r) => r.id === 'desk')!.exerciseIds[0]!;
    const shown = await m.picture();
    expect(shown?.name, m.title).toBe(d.app.pictures.get(first)!.gifFile);
    expect(shown!.alt).toBe(d.app.catalogue.exercises.get(first)!.pose!.alt);
    expect(shown!.bytes.equals(readFileSync(d.app.pictures.get(first)!.gifPath))).toBe(true);
  };

  beforeAll(async () => {
    await d.start();
    ada = d.user('ada', { admin: true });
    nell = d.user('nell');
    [ann, ben, cai, dee, eve] = ['ann', 'ben', 'cai', 'dee', 'eve'].map((n) => d.user(n)) as [User, User, User, User, User];
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('refuses schedule changes to someone who may not manage them; nothing is stored or posted', async () => {
    const r = await d.command(nell, 'schedule add weekdays 10:30 desk Europe/Berlin');
    privateTo(r, nell);
    expect(r.title).toBe(d.says.notAdmin);
    expect(await rows('SELECT * FROM schedules')).toEqual([]);
    expect(d.channelPosts()).toEqual([]);
  });

  it('adds weekdays 10:30 desk in Europe/Berlin, answered privately with the next three times', async () => {
    const r = await d.command(ada, 'schedule add weekdays 10:30 desk Europe/Berlin');
    privateTo(r, ada);
    deskId = /^Schedule ([a-z0-9]{6}) added$/.exec(r.title)?.[1] ?? '';
    expect(deskId, r.title).not.toBe('');
    expect(r.text).toContain('Break prompts weekdays (Mon–Fri) at 10:30 (Europe/Berlin) in this channel: Desk break (5 exercises');
    // 10:30 Berlin is still ahead on Tuesday morning (it is 10:00 there).
    expect(r.text).toContain('Next: Tue 24 Nov, 10:30 (Europe/Berlin); Wed 25 Nov, 10:30 (Europe/Berlin); Thu 26 Nov, 10:30 (Europe/Berlin).');
    expect(await rows('SELECT id, platform, workspace_id, kind, channel_id, user_id, when_text, crons, timezone, routine_id, paused FROM schedules')).toEqual([
      { id: deskId, platform: d.name, workspace_id: d.workspaceId, kind: 'channel', channel_id: d.channelId, user_id: ada.id, when_text: 'weekdays 10:30', crons: '["30 10 * * 1-5"]', timezone: 'Europe/Berlin', routine_id: 'desk', paused: 0 },
    ]);
    // Answered, not posted: the channel saw nothing.
    expect(d.channelPosts()).toEqual([]);
  });

  it('lists (open to everyone), pauses, resumes and removes schedules; only a manager may change them', async () => {
    const added = await d.command(ada, 'schedule add daily 16:00 neck');
    privateTo(added, ada);
    const other = /^Schedule (\w+) added$/.exec(added.title)?.[1];
    expect(other, added.title).toBeDefined();
    expect(added.text).toContain('Next: Tue 24 Nov, 16:00 (UTC)');
    expect(await rows('SELECT COUNT(*) n FROM schedules')).toEqual([{ n: 2 }]);

    const deskLine = `${deskId} · weekdays 10:30 · Europe/Berlin · desk · next Tue 24 Nov, 10:30 (Europe/Berlin)`;
    const list = await d.command(nell, 'schedule list');
    privateTo(list, nell);
    expect(list.title).toBe('Break schedules in this channel');
    expect(list.text.split('\n')).toEqual([deskLine, `${other} · daily 16:00 · UTC · neck · next Tue 24 Nov, 16:00 (UTC)`]);

    for (const verb of ['remove', 'pause', 'resume']) expect((await d.command(nell, `schedule ${verb} ${other}`)).title, verb).toBe(d.says.notAdmin);
    expect(await rows('SELECT id FROM schedules WHERE paused = 0 AND removed_at IS NULL ORDER BY id')).toEqual([deskId, other].sort().map((id) => ({ id })));

    const paused = await d.command(ada, `schedule pause ${other}`);
    privateTo(paused, ada);
    expect(paused.title).toBe('Schedule paused');
    expect((await d.command(ada, 'schedule list')).text).toContain(`${other} · daily 16:00 · UTC · neck · paused`);
    expect(await rows('SELECT id FROM schedules WHERE paused = 0')).toEqual([{ id: deskId }]);

    const resumed = await d.command(ada, `schedule resume ${other}`);
    expect(resumed.title).toBe('Schedule resumed');
    expect(resumed.text).toContain('Next: Tue 24 Nov, 16:00 (UTC)');

    const removed = await d.command(ada, `schedule remove ${other}`);
    expect(removed.title).toBe('Schedule removed');
    expect(removed.text).toContain(`Schedule ${other} (daily 16:00) is gone`);
    expect((await d.command(nell, 'schedule list')).text.split('\n')).toEqual([deskLine]);
    expect(await rows('SELECT id FROM schedules WHERE removed_at IS NULL')).toEqual([{ id: deskId }]);

    // A second real one, for the afternoon (the routine defaults to desk).
    const afternoon = await d.command(ada, 'schedule add weekdays 15:00 Europe/Berlin');
    expect(afternoon.title).toMatch(/^Schedule [a-z0-9]{6} added$/);
    expect(afternoon.text).toContain('Next: Tue 24 Nov, 15:00 (Europe/Berlin);');
    expect(d.channelPosts()).toEqual([]);
  });

  it('takes opt-ins, a pause and working hours from members, privately', async () => {
    for (const u of [ann, ben, cai, dee]) {
      const r = await d.command(u, 'optin');
      privateTo(r, u);
      expect(r.title, u.name).toBe('Opted in');
      expect(r.text).not.toContain('no break schedule yet');
    }
    expect((await d.command(ann, 'optin')).title).toBe('Already opted in');

    const pause = await d.command(ben, 'pause 1d');
    privateTo(pause, ben);
    expect(pause.title).toBe('DMs paused');
    expect(pause.text).toContain('No break DMs until Wed 25 Nov, 09:00 (UTC).');

    expect((await d.command(cai, 'settings timezone Europe/Berlin')).title).toBe('Time zone saved');
    const hours = await d.command(cai, 'settings hours 13:00-17:00');
    privateTo(hours, cai);
    expect(hours.title).toBe('Working hours saved');
    expect(hours.text).toContain('Monday to Friday, 13:00–17:00 (Europe/Berlin)');
    expect((await d.command(dee, 'settings hours 09:00-17:00')).title).toBe('Working hours saved');

    expect(byTarget(await rows('SELECT user_id AS target_id, timezone, work_start_min, work_end_min, dm_paused_until FROM users WHERE user_id IN (?, ?, ?)', ben.id, cai.id, dee.id))).toEqual(
      byTarget([
        { target_id: ben.id, timezone: null, work_start_min: null, work_end_min: null, dm_paused_until: at('2026-11-25T09:00:00Z') },
        { target_id: cai.id, timezone: 'Europe/Berlin', work_start_min: 13 * 60, work_end_min: 17 * 60, dm_paused_until: null },
        { target_id: dee.id, timezone: expect.toBeOneOf([null, 'UTC']), work_start_min: 9 * 60, work_end_min: 17 * 60, dm_paused_until: null },
      ]),
    );
    expect((await rows('SELECT user_id FROM optins WHERE channel_id = ?', d.channelId)).map((r) => r.user_id).sort()).toEqual([ann.id, ben.id, cai.id, dee.id].sort());
    // Opting in opened each member's DM channel (so their first prompt is one request); nobody has been DMed yet.
    for (const u of [ann, ben, cai, dee]) expect(d.dmOpens(u), u.name).toBe(1);
    for (const u of [ada, nell, eve]) expect(d.dmOpens(u), u.name).toBe(0);
    for (const u of [ada, nell, ann, ben, cai, dee, eve]) expect(d.dms(u), u.name).toEqual([]);
  });

  it('sends nothing before 10:30 Berlin', async () => {
    d.clock.set(at('2026-11-24T09:29:59Z'));
    const mark = d.mark();
    const { swept, drained } = await tick(d);
    expect(swept).toMatchObject({ queued: 0, 'not-due': 0 });
    expect(drained).toEqual(NOTHING);
    expect(d.requestsSince(mark)).toEqual([]);
  });

  it('at 10:30 Berlin posts one prompt with four buttons and DMs only opted-in, unpaused, in-hours members', async () => {
    d.clock.set(at('2026-11-24T09:30:02Z'));
    const mark = d.mark();
    const { swept, drained } = await tick(d);
    expect(swept).toEqual({ queued: 1, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    expect(drained).toEqual({ sent: 3, failed: 0, skipped: 2, retried: 0, waiting: 0 });

    const fires = await rows('SELECT id, schedule_id, channel_id, routine_id, fire_at, status FROM fires');
    expect(fires).toEqual([{ id: expect.any(String), schedule_id: deskId, channel_id: d.channelId, routine_id: 'desk', fire_at: FIRE, status: 'queued' }]);
    fireId = String(fires[0]!.id);

    // Exactly one channel message, with the four buttons.
    const posts = d.channelPosts();
    expect(posts).toHaveLength(1);
    prompt = posts[0]!;
    expect(prompt.ephemeral).toBe(false);
    expect(prompt.edits).toBe(0);
    expect(prompt.title).toBe('🧘 Stretch break');
    expect(prompt.text).toContain('Time to stand up and stretch: Desk break (5 exercises');
    expect(prompt.buttons).toEqual(PROMPT_BUTTONS);
    expect(promptVerbs(prompt)).toEqual(asPrompt(['dm', 'join', 'snooze', 'skipday']));
    await showsFirstPicture(prompt);

    // One DM each, to Ann and Dee only, over the DM channel their opt-in opened.
    for (const u of [ann, dee]) {
      expect(d.dmOpens(u, mark), u.name).toBe(0);
      const [dm, ...rest] = d.dms(u);
      expect(rest, u.name).toEqual([]);
      expect(dm!.ephemeral).toBe(false);
      expect(dm!.title, u.name).toBe('🧘 Stretch break');
      expect(dm!.text).toContain('Time for a stretch break: Desk break');
      expect(dm!.buttons).toEqual(DM_BUTTONS);
      expect(promptVerbs(dm!)).toEqual(asPrompt(['join', 'snooze', 'skipday']));
      await showsFirstPicture(dm!);
    }
    for (const u of [ben, cai, eve, ada, nell]) {
      expect(d.dmOpens(u, mark), u.name).toBe(0);
      expect(d.dms(u), u.name).toEqual([]);
    }
    // Nothing else went over the wire: one request per DM.
    expect(d.requestsSince(mark).sort()).toEqual(['post channel', 'post dm', 'post dm']);

    // The outbox says what happened to each, and why.
    expect(byTarget(await rows('SELECT kind, target_id, reason, status, detail FROM outbox'))).toEqual(
      byTarget([
        outboxRow(d.channelId, 'sent', null, 'channel'),
        outboxRow(ann, 'sent', null),
        outboxRow(ben, 'skipped', 'paused'),
        outboxRow(cai, 'skipped', 'outside working hours'),
        outboxRow(dee, 'sent', null),
      ]),
    );
  });

  /** The 10:30 slot swept again later in its minute: its next fire time has moved on, so nothing is read or sent; still one fire and five deliveries. */
  async function sweepAgainAt(iso: string) {
    d.clock.set(at(iso));
    const mark = d.mark();
    const { swept, drained } = await tick(d);
    expect(swept).toEqual({ queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    expect(drained).toEqual(NOTHING);
    expect(d.requestsSince(mark)).toEqual([]);
    expect(await rows('SELECT COUNT(*) n FROM fires')).toEqual([{ n: 1 }]);
    expect(await rows('SELECT COUNT(*) n FROM outbox')).toEqual([{ n: 5 }]);
  }

  it('a second sweep and drain in the same minute send nothing more', () => sweepAgainAt('2026-11-24T09:30:40Z'));

  it('a restart in the same minute (same database, new connection) sends nothing more', async () => {
    const before = d.app;
    await d.restart();
    expect(d.app).not.toBe(before);
    await sweepAgainAt('2026-11-24T09:30:55Z');
  });

  it('Start in DM sends step 1 of the routine by DM and confirms privately, leaving the prompt alone', async () => {
    d.clock.set(at('2026-11-24T09:31:00Z'));
    const mark = d.mark();
    const r = await d.click(eve, prompt, 'Start in DM');
    expect(d.requestsSince(mark)).toEqual(['open dm', 'post dm', 'reply']);
    expect(r.updated).toBe(false);
    privateTo(r.reply!, eve);
    expect(r.reply!.title).toBe('Check your DMs');
    expect(r.reply!.text).toContain('Desk break');
    const [dm, ...rest] = d.dms(eve);
    expect(rest).toEqual([]);
    expect(dm!.title).toBe(DESK_STEP_1);
    expect(dm!.text).toContain('Step 1 of 5');
    expect(dm!.buttons).toContain('Next');
    expect(d.dmOpens(eve)).toBe(1);
    expect(prompt.edits).toBe(0);
  });

  it("Join starts the channel's live group session for the prompt's routine; the next Join joins it; the prompt stays", async () => {
    const before = d.channelPosts().length;
    const started = await d.click(ann, prompt, 'Join');
    expect(started.updated).toBe(false);
    privateTo(started.reply!, ann);
    expect(started.reply!.title).toBe('Group session started');
    await vi.waitFor(() => expect(d.channelPosts()).toHaveLength(before + 1));
    const group = d.channelPosts().at(-1)!;
    expect(group.ephemeral).toBe(false);
    expect(group.where).toBe('channel');
    expect(d.channelPosts().slice(before)).toEqual([group]);
    expect(group.title).toBe(DESK_STEP_1);
    expect(group.text).toContain('Step 1 of 5');
    expect(group.text).toContain('Desk break, together');
    expect(group.text).toContain('Taking part (1)');
    await groupMessageKnown(d);

    const joined = await d.click(dee, prompt, 'Join');
    privateTo(joined.reply!, dee);
    expect(joined.reply!.title).toBe('You joined');
    // Nobody has clicked on the group's message: the bot knew where it posted it, and shows the newcomer there.
    expect(group.edits).toBe(1);
    expect(group.text).toContain('Taking part (2)');
    expect(group.text).toContain(dee.id);
    const again = await d.click(dee, prompt, 'Join');
    expect(again.reply!.title).toBe('Already in');
    // The prompt stays for everyone else; nobody got a private copy by DM.
    expect(prompt.edits).toBe(0);
    expect(prompt.title).toBe('🧘 Stretch break');
    expect(d.dms(ann)).toHaveLength(1);

    expect(await d.click(ann, group, 'Next')).toEqual({ updated: true });
    expect(group.text).toContain('Step 2 of 5');
    expect(group.text).toContain('Taking part (2)');
    expect(await d.click(ann, group, 'Stop')).toEqual({ updated: true });
    expect(group.buttons).toEqual([]);
  });

  it('Snooze confirms, sends nothing for 10 minutes, then one DM; Not today drops the snoozed DM', async () => {
    const mark = d.mark();
    const snoozed = await d.click(ann, prompt, 'Snooze 10 min');
    privateTo(snoozed.reply!, ann);
    expect(snoozed.reply!.title).toBe('Snoozed');
    expect(snoozed.reply!.text).toContain("I'll DM you this prompt again at Tue 24 Nov, 09:41 (UTC).");

    // Dee snoozes too, then says "Not today": her snoozed copy must not arrive.
    expect((await d.click(dee, prompt, 'Snooze 10 min')).reply!.title).toBe('Snoozed');
    const notToday = await d.click(dee, prompt, 'Not today');
    privateTo(notToday.reply!, dee);
    expect(notToday.reply!.title).toBe('Not today');
    expect(notToday.reply!.text).toContain('No more break prompts from this channel for you today.');
    expect(prompt.edits).toBe(0);
    expect(d.requestsSince(mark)).toEqual(['reply', 'reply', 'reply']);

    d.clock.set(at('2026-11-24T09:40:59.999Z'));
    let since = d.mark();
    expect((await tick(d)).drained).toEqual(NOTHING);
    expect(d.requestsSince(since)).toEqual([]);
    expect(d.dms(ann)).toHaveLength(1);

    d.clock.set(at('2026-11-24T09:41:00Z'));
    since = d.mark();
    expect((await tick(d)).drained).toEqual({ sent: 1, failed: 0, skipped: 1, retried: 0, waiting: 0 });
    // The first DM to Ann since the restart: her DM channel id is in the database, so one request.
    expect(d.requestsSince(since)).toEqual(['post dm']);
    const [, again, ...more] = d.dms(ann);
    expect(more).toEqual([]);
    expect(again!.title).toBe('🧘 Stretch break');
    expect(again!.buttons).toEqual(DM_BUTTONS);
    expect(d.dms(dee)).toHaveLength(1);
    expect(byTarget(await rows("SELECT target_id, status, detail, not_before FROM outbox WHERE reason = 'snooze'"))).toEqual(
      byTarget([
        { target_id: ann.id, status: 'sent', detail: null, not_before: at('2026-11-24T09:41:00Z') },
        { target_id: dee.id, status: 'skipped', detail: 'not today', not_before: at('2026-11-24T09:41:00Z') },
      ]),
    );
    // A snooze is one DM, not a repeating one.
    d.clock.set(at('2026-11-24T09:52:00Z'));
    since = d.mark();
    expect((await tick(d)).drained).toEqual(NOTHING);
    expect(d.requestsSince(since)).toEqual([]);
  });

  it("a DM prompt's Start button turns that DM into step 1 in place (even one sent before the restart)", async () => {
    const [first] = d.dms(ann);
    const mark = d.mark();
    expect(await d.click(ann, first!, 'Start')).toEqual({ updated: true });
    expect(first!.edits).toBe(1);
    expect(first!.title).toBe(DESK_STEP_1);
    expect(first!.text).toContain('Step 1 of 5');
    expect(first!.buttons).toContain('Next');
    // Still the first exercise's picture: the prompt showed what step 1 is.
    await showsFirstPicture(first!);
    // One update of the DM (Discord acknowledges first, then edits the picture in).
    expect(d.requestsSince(mark).filter((r) => r !== 'ack')).toEqual(['update']);
    expect(d.dms(ann)).toHaveLength(2);
  });

  it("later that day, the 15:00 schedule skips Dee (Not today) and Ben (paused) but reaches Cai (in her hours), over the stored DM channels", async () => {
    d.clock.set(at('2026-11-24T14:00:01Z'));
    const mark = d.mark();
    const { swept, drained } = await tick(d);
    expect(swept).toEqual({ queued: 1, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    expect(drained).toEqual({ sent: 3, failed: 0, skipped: 2, retried: 0, waiting: 0 });
    expect(d.requestsSince(mark).sort()).toEqual(['post channel', 'post dm', 'post dm']);
    expect(d.dmOpens(ann, mark)).toBe(0);
    // Opting in opened each DM channel, so the prompt DMs open none.
    expect(d.dmOpens(cai, mark)).toBe(0);
    // The prompts and the group session Join started.
    expect(d.channelPosts()).toHaveLength(3);
    expect(
      byTarget(await rows("SELECT o.target_id, o.status, o.detail FROM outbox o JOIN fires f ON f.id = o.fire_id WHERE f.fire_at = ? AND o.kind = 'dm'", at('2026-11-24T14:00:00Z'))),
    ).toEqual(
      byTarget([
        { target_id: ann.id, status: 'sent', detail: null },
        { target_id: ben.id, status: 'skipped', detail: 'paused' },
        { target_id: cai.id, status: 'sent', detail: null },
        { target_id: dee.id, status: 'skipped', detail: 'not today' },
      ]),
    );
  });

  it('the next weekday fires again: the pause has ended and "Not today" is over', async () => {
    d.clock.set(at('2026-11-25T09:30:00Z'));
    const mark = d.mark();
    const { swept, drained } = await tick(d);
    expect(swept).toEqual({ queued: 1, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    expect(drained).toEqual({ sent: 4, failed: 0, skipped: 1, retried: 0, waiting: 0 });
    // The prompts and the group session Join started.
    expect(d.channelPosts()).toHaveLength(4);
    expect(d.requestsSince(mark).filter((r) => r === 'post channel')).toHaveLength(1);
    for (const u of [ann, ben, dee]) expect(d.dms(u).at(-1)!.title, u.name).toBe('🧘 Stretch break');
    expect(d.dms(ben)).toHaveLength(1);
    expect(d.dms(dee)).toHaveLength(2);
    expect(d.dmOpens(ben)).toBe(1);
    expect(d.dmOpens(ann, mark)).toBe(0);
    expect(await rows("SELECT status, detail FROM outbox WHERE target_id = ? ORDER BY id", cai.id)).toEqual([
      { status: 'skipped', detail: 'outside working hours' },
      { status: 'sent', detail: null },
      { status: 'skipped', detail: 'outside working hours' },
    ]);
  });
});
