/**
 * The pose of an exercise as plain data: what content/exercises/<id>.yaml says under `pose`.
 * It lives in core (not in src/pictures) so the catalogue can carry it without the core
 * importing any renderer; src/pictures turns it into SVG, PNG and GIF.
 *
 * Angles are in degrees and relative to the parent segment, so a keyframe reads like a
 * description of the body ("elbow bent 90°") rather than screen coordinates. 0 is the
 * neutral standing shape: spine upright, arms hanging, legs straight, feet flat.
 */

/** Every angle a keyframe may set. Anything else in `angles` is refused by the loader. */
export const POSE_JOINTS = [
  // Spine, from the pelvis up: spine1 is the lower back's tilt from upright (positive =
  // toward the way the figure faces), spine2 and spine3 bend the mid and upper back.
  'spine1', 'spine2', 'spine3',
  'neck', 'head',
  // Rotation about the spine's long axis (a twist), seen as shoulders spreading apart in
  // side view; headTurn turns the face the same way.
  'chestTurn', 'headTurn',
  // Arms: shoulder 0 = hanging, 90 = pointing forward (side view) or out sideways (front
  // view), 180 = overhead. Elbow and wrist: 0 = straight, positive = bent forward.
  'shoulderL', 'shoulderR', 'elbowL', 'elbowR', 'wristL', 'wristR',
  // Legs: hip 0 = thigh in line with the lower back, 90 = thigh forward (sitting). Knee:
  // positive = bent backward. Ankle: positive = toes pointed.
  'hipL', 'hipR', 'kneeL', 'kneeR', 'ankleL', 'ankleR',
] as const;

export type PoseJoint = (typeof POSE_JOINTS)[number];

/** Limits the loader enforces; turns are narrower because a twist past 90° looks like a new view. */
export const ANGLE_LIMIT = 180;
export const TURN_LIMIT = 90;
export const TURN_JOINTS: ReadonlySet<PoseJoint> = new Set(['chestTurn', 'headTurn']);

/** Points of the figure a pose may ask to trace with a motion arrow. */
export const POSE_POINTS = [
  'pelvis', 'waist', 'chest', 'neckBase', 'head',
  'shoulderL', 'shoulderR', 'elbowL', 'elbowR', 'wristL', 'wristR', 'handL', 'handR',
  'hipL', 'hipR', 'kneeL', 'kneeR', 'ankleL', 'ankleR', 'toeL', 'toeR',
] as const;

export type PosePoint = (typeof POSE_POINTS)[number];

export type PoseView = 'front' | 'side';
export type PoseProp = 'chair' | 'mat' | 'wall';

export interface PoseKeyframe {
  /** A word for people reading the file ("start", "cat"); not drawn. */
  name?: string;
  /** Seconds the animation rests on this keyframe. */
  hold: number;
  angles: Partial<Record<PoseJoint, number>>;
  /** Centimetres the figure floats above the floor (a hop); 0 = resting on it. */
  lift?: number;
  /** Shoulder girdle shift in centimetres along the spine (up) and across it (forward): shrugs and rolls. */
  shoulders?: { up?: number; forward?: number };
}

export interface Pose {
  view: PoseView;
  prop?: PoseProp;
  /** What the figure is doing, in words: the picture's alt text. */
  alt: string;
  /** For per-side exercises: the side the picture shows. */
  side?: 'left' | 'right';
  /** Keyframe shown solid in the still picture (others are drawn faintly); default the last. */
  still?: number;
  /** The point that stays put from keyframe to keyframe (knees on the mat, feet on the floor); default the pelvis. */
  anchor?: PosePoint;
  /** Points whose path gets a motion arrow in the still picture. */
  trace: PosePoint[];
  /**
   * A round arrow around a point of the still keyframe, for movements that circle rather than
   * travel: `round` for a roll (shoulders), `flat` (an ellipse seen edge-on) for a twist.
   */
  spin?: { at: PosePoint; shape: 'round' | 'flat' };
  /** Arrow heads at the end of the path only, or at both ends for a back-and-forth movement. */
  arrows: 'end' | 'both';
  /** Seconds each move between keyframes takes in the animation. */
  moveSeconds: number;
  keyframes: PoseKeyframe[];
}
