import { z } from 'zod';

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
  })
  .strict();

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
