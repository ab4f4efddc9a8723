/**
 * Forward kinematics: joint angles in, body points out (pure, no I/O).
 *
 * World space is centimetres with y pointing up and the floor at y = 0, so body proportions
 * read like a person's. In side view the figure faces +x (right); in front view it faces the
 * viewer, its left side on the right of the picture.
 */
import type { Pose, PoseJoint, PoseKeyframe, PosePoint } from '../core/pose.js';

export type { Pose, PoseJoint, PoseKeyframe, PosePoint } from '../core/pose.js';

export interface Vec {
  x: number;
  y: number;
}

/** Segment lengths of one adult figure, in centimetres. */
export const BODY = {
  spine1: 15,
  spine2: 14,
  spine3: 15,
  neck: 8,
  headRadius: 11,
  upperArm: 29,
  forearm: 25,
  hand: 9,
  thigh: 44,
  shin: 43,
  foot: 17,
  /** How far below the base of the neck the shoulder joints sit, along the spine. */
  shoulderDrop: 5,
  /** Half the trunk's thickness seen from the side (it is drawn that thick, and grounding counts it). */
  torsoHalf: 9.5,
  /** Half the distance between the shoulders / hip joints, seen from the front. */
  shoulderHalf: 18,
  hipHalf: 9,
} as const;

/** Everything the renderer needs about one moment of the movement. */
export interface Skeleton extends Record<PosePoint, Vec> {
  /** Direction of the head's axis (degrees, 0 = up, clockwise positive) and its turn. */
  headAngle: number;
  headTurn: number;
  chestTurn: number;
}

/** One moment: either a keyframe or a blend between two. */
export type Moment = Pick<PoseKeyframe, 'angles' | 'lift' | 'shoulders'>;

const rad = (deg: number) => (deg * Math.PI) / 180;
/** Direction 0° = up, increasing clockwise (toward +x), as a unit vector in y-up space. */
const dir = (deg: number): Vec => ({ x: Math.sin(rad(deg)), y: Math.cos(rad(deg)) });
const add = (p: Vec, deg: number, len: number): Vec => {
  const d = dir(deg);
  return { x: p.x + d.x * len, y: p.y + d.y * len };
};

/**
 * Places every point for one moment, then lowers (or raises) the whole figure so its lowest
 * point rests on the floor plus `lift`. Grounding here means content authors give angles
 * only, never coordinates, and a figure can never sink into or hover over the floor by mistake.
 */
export function skeletonOf(pose: Pick<Pose, 'view' | 'anchor'>, m: Moment): Skeleton {
  const view = pose.view;
  const a = (j: PoseJoint) => m.angles[j] ?? 0;
  const front = view === 'front';
  const chestTurn = a('chestTurn');
  const pelvis = { x: 0, y: 0 };
  const t1 = a('spine1');
  const t2 = t1 + a('spine2');
  const t3 = t2 + a('spine3');
  const waist = add(pelvis, t1, BODY.spine1);
  const chest = add(waist, t2, BODY.spine2);
  const neckBase = add(chest, t3, BODY.spine3);
  const tn = t3 + a('neck');
  const neckTop = add(neckBase, tn, BODY.neck);
  const headAngle = tn + a('head');
  const head = add(neckTop, headAngle, BODY.headRadius * 0.9);

  // The shoulder girdle: a shrug moves it along the spine, a roll across it.
  const girdle = add(add(neckBase, t3, (m.shoulders?.up ?? 0) - BODY.shoulderDrop), t3 + 90, m.shoulders?.forward ?? 0);
  // Seen from the side, shoulders (and hips) overlap unless the chest twists; from the front
  // they are apart unless it twists away. The screen offset is the projection of the width.
  // A positive turn is to the figure's right: in side view its left shoulder comes forward.
  const shoulderSpread = BODY.shoulderHalf * (front ? Math.cos(rad(chestTurn)) : Math.sin(rad(chestTurn)));
  const hipSpread = front ? BODY.hipHalf : 0;

  const out: Partial<Skeleton> = { pelvis, waist, chest, neckBase, head, headAngle, headTurn: a('headTurn'), chestTurn };
  // In front view the figure's left side is on screen right (+x), and each limb's angles are
  // mirrored so "shoulder 90" lifts either arm outward. In side view both limbs use one sign.
  for (const [side, s] of [['L', 1], ['R', -1]] as const) {
    const mirror = front ? s : 1;
    const shoulder = add(girdle, t3 + 90, s * shoulderSpread);
    const tUpper = t3 + 180 - mirror * a(`shoulder${side}`);
    const elbow = add(shoulder, tUpper, BODY.upperArm);
    const tFore = tUpper - mirror * a(`elbow${side}`);
    const wrist = add(elbow, tFore, BODY.forearm);
    const hand = add(wrist, tFore - mirror * a(`wrist${side}`), BODY.hand);

    const hip = add(pelvis, t1 + 90, s * hipSpread);
    const tThigh = t1 + 180 - mirror * a(`hip${side}`);
    const knee = add(hip, tThigh, BODY.thigh);
    const tShin = tThigh + mirror * a(`knee${side}`);
    const ankle = add(knee, tShin, BODY.shin);
    // The foot points forward from the ankle (outward in front view, where it is short).
    const toe = front ? add(ankle, tShin - 180 + s * 100, BODY.foot * 0.45) : add(ankle, tShin - 90 + a(`ankle${side}`), BODY.foot);

    Object.assign(out, { [`shoulder${side}`]: shoulder, [`elbow${side}`]: elbow, [`wrist${side}`]: wrist, [`hand${side}`]: hand, [`hip${side}`]: hip, [`knee${side}`]: knee, [`ankle${side}`]: ankle, [`toe${side}`]: toe });
  }
  const skeleton = out as Skeleton;

  // Ground it: the lowest drawn extent (head, trunk and limbs have thickness) touches y = lift;
  // then slide it so the anchor point stays at x = 0 in every keyframe.
  const trunk = view === 'side' ? BODY.torsoHalf : LIMB_HALF_WIDTH;
  const lowest = Math.min(
    ...POINT_NAMES.map((n) => skeleton[n].y - (TRUNK_POINTS.has(n) ? trunk : LIMB_HALF_WIDTH)),
    head.y - BODY.headRadius,
  );
  const dy = (m.lift ?? 0) - lowest;
  const dx = -skeleton[pose.anchor ?? 'pelvis'].x;
  for (const name of POINT_NAMES) skeleton[name] = { x: skeleton[name].x + dx, y: skeleton[name].y + dy };
  return skeleton;
}

/** Half a limb's drawn thickness in centimetres, so grounding and framing count it. */
export const LIMB_HALF_WIDTH = 4;

const POINT_NAMES: readonly PosePoint[] = [
  'pelvis', 'waist', 'chest', 'neckBase', 'head', 'shoulderL', 'shoulderR', 'elbowL', 'elbowR', 'wristL', 'wristR', 'handL', 'handR',
  'hipL', 'hipR', 'kneeL', 'kneeR', 'ankleL', 'ankleR', 'toeL', 'toeR',
];

const TRUNK_POINTS: ReadonlySet<PosePoint> = new Set(['pelvis', 'waist', 'chest', 'neckBase']);

export function pointsOf(s: Skeleton): Vec[] {
  return POINT_NAMES.map((n) => s[n]);
}

export { POINT_NAMES };

/** Eases a move in and out, like a body does, rather than at constant speed. */
export const ease = (t: number) => t * t * (3 - 2 * t);

/** The moment a fraction `t` of the way from keyframe `a` to keyframe `b` (angles blend linearly). */
export function blend(a: Moment, b: Moment, t: number): Moment {
  const angles: Partial<Record<PoseJoint, number>> = {};
  for (const j of new Set([...Object.keys(a.angles), ...Object.keys(b.angles)]) as Set<PoseJoint>) {
    const from = a.angles[j] ?? 0;
    angles[j] = from + ((b.angles[j] ?? 0) - from) * t;
  }
  const mix = (x = 0, y = 0) => x + (y - x) * t;
  return {
    angles,
    lift: mix(a.lift, b.lift),
    shoulders: { up: mix(a.shoulders?.up, b.shoulders?.up), forward: mix(a.shoulders?.forward, b.shoulders?.forward) },
  };
}

/** Index of the keyframe the still picture shows solid. */
export const stillIndex = (pose: Pose) => pose.still ?? pose.keyframes.length - 1;
