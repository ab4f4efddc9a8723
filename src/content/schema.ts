import { z } from 'zod';
import { ANGLE_LIMIT, POSE_JOINTS, POSE_POINTS, TURN_JOINTS, TURN_LIMIT, type PoseJoint } from '../core/pose.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or dashes, starting with a letter or digit');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const positiveInt = z.number().int('must be a whole number').positive('must be greater than 0');

export const timingSchema = z
  .object({
    holdSeconds: positiveInt.max(600).optional(),
    reps: positiveInt.max(100).optional(),
    perSide: z.boolean().optional(),
    durationSeconds: positiveInt.max(3600).optional(),
    breaths: positiveInt.max(50).optional(),
    note: text(120).optional(),
  })
  .strict()
  .refine((t) => t.holdSeconds || t.reps || t.durationSeconds || t.breaths, {
    message: 'needs at least one of holdSeconds, reps, durationSeconds or breaths',
  });

const joints: ReadonlySet<string> = new Set(POSE_JOINTS);

/**
 * Joint angles as a map rather than a strict object, so an unknown joint is reported at its own
 * path (pose.keyframes.1.angles.elbw) with the list of joints, and each angle gets its range.
 */
const anglesSchema = z.record(z.string(), z.number({ error: 'must be a number of degrees' })).superRefine((angles, ctx) => {
  for (const [joint, value] of Object.entries(angles)) {
    if (!joints.has(joint)) {
      ctx.addIssue({ code: 'custom', path: [joint], message: `is not a joint (joints: ${POSE_JOINTS.join(', ')})` });
      continue;
    }
    const limit = TURN_JOINTS.has(joint as PoseJoint) ? TURN_LIMIT : ANGLE_LIMIT;
    if (value < -limit || value > limit) ctx.addIssue({ code: 'custom', path: [joint], message: `must be between -${limit} and ${limit}` });
  }
});

const centimetres = (max: number) => z.number().min(-max, `must be between -${max} and ${max}`).max(max, `must be between -${max} and ${max}`);

const keyframeSchema = z
  .object({
    name: text(40).optional(),
    hold: z.number().min(0, 'must be between 0 and 10 seconds').max(10, 'must be between 0 and 10 seconds').default(0.8),
    angles: anglesSchema,
    lift: z.number().min(0, 'must be between 0 and 40').max(40, 'must be between 0 and 40').optional(),
    shoulders: z.object({ up: centimetres(10).optional(), forward: centimetres(10).optional() }).strict().optional(),
  })
  .strict();

export const poseSchema = z
  .object({
    view: z.enum(['front', 'side']),
    prop: z.enum(['chair', 'mat', 'wall']).optional(),
    alt: text(250),
    side: z.enum(['left', 'right']).optional(),
    still: z.number().int('must be a whole number').min(0, 'must be a keyframe index').optional(),
    anchor: z.enum(POSE_POINTS).optional(),
    trace: z.array(z.enum(POSE_POINTS)).max(4, 'must list at most 4 points').default([]),
    spin: z.object({ at: z.enum(POSE_POINTS), shape: z.enum(['round', 'flat']) }).strict().optional(),
    arrows: z.enum(['end', 'both']).default('end'),
    moveSeconds: z.number().min(0.1, 'must be between 0.1 and 5').max(5, 'must be between 0.1 and 5').default(0.7),
    keyframes: z
      .array(keyframeSchema, { error: (iss) => (iss.input === undefined ? 'is missing (a pose needs at least two keyframes)' : 'must be a list of keyframes') })
      .min(2, 'must have at least two keyframes (for example the start and the end of the movement)')
      .max(8, 'must have at most 8 keyframes'),
  })
  .strict()
  .superRefine((pose, ctx) => {
    if (pose.still !== undefined && pose.still >= pose.keyframes.length) {
      ctx.addIssue({ code: 'custom', path: ['still'], message: `must be a keyframe index below ${pose.keyframes.length}` });
    }
  });

export const exerciseSchema = z
  .object({
    id,
    name: text(80),
    kind: z.enum(['warm-up', 'stretch']),
    position: z.enum(['standing', 'seated', 'floor', 'wall']),
    targets: z.array(text(60)).min(1, 'must list at least one target area').max(8),
    steps: z.array(text(300)).min(1, 'must have at least one step').max(10),
    timing: timingSchema,
    benefits: z.array(text(200)).max(6).default([]),
    cautions: z.array(text(200)).max(6).default([]),
    // A gentler version (smaller range, seated or supported) offered when the exercise hurts.
    easier: z.object({ name: text(80), steps: z.array(text(300)).min(1, 'must have at least one step').max(10) }).strict().optional(),
    pose: poseSchema.optional(),
  })
  .strict()
  // A per-side exercise's picture shows one side; the caption needs to know which.
  .superRefine((ex, ctx) => {
    if (ex.timing.perSide && ex.pose && !ex.pose.side) {
      ctx.addIssue({ code: 'custom', path: ['pose', 'side'], message: 'is required (left or right) because timing.perSide is true' });
    }
  });

export const routineSchema = z
  .object({
    id,
    name: text(60),
    description: text(200),
    order: z.number().int().optional(),
    exercises: z.array(id).min(1, 'must list at least one exercise id').max(25, 'must list at most 25 exercises'),
  })
  .strict();

export const safetySchema = z
  .object({
    summary: text(200),
    advice: z.array(text(300)).min(1, 'must have at least one item'),
  })
  .strict();
