/**
 * Pose → SVG (pure, deterministic: the same pose gives byte-identical SVG, which is what the
 * picture cache and the snapshot tests rely on). Numbers are printed with one decimal.
 *
 * Style: flat colours, round caps and joins, a thin dark outline around each body part so
 * overlapping limbs stay readable at 320 px wide; the far-side limbs are a lighter shade.
 */
import { BODY, LIMB_HALF_WIDTH, blend, ease, pointsOf, skeletonOf, stillIndex, type Moment, type Pose, type PosePoint, type Skeleton, type Vec } from './pose.js';

/** Bump when the drawing changes, so every cached picture is redrawn (it is part of the hash). */
export const RENDERER_VERSION = 1;

export const VIEW_WIDTH = 400;
export const VIEW_HEIGHT = 300;
/** The font the caption uses; raster.ts loads the same file, shipped in assets/fonts. */
export const FONT_FAMILY = 'DejaVu Sans';

const COLORS = {
  background: '#fdf6ec',
  floor: '#d9c7aa',
  outline: '#2d3142',
  shirt: '#2a9d8f',
  shirtFar: '#8fcfc6',
  skin: '#f4b183',
  skinFar: '#f8d3b5',
  trousers: '#3d5a80',
  trousersFar: '#98aecb',
  shoe: '#2d3142',
  hair: '#5c4033',
  arrow: '#e76f51',
  chair: '#b08968',
  chairDark: '#7f5539',
  mat: '#e5989b',
  wall: '#e3dccf',
  wallEdge: '#b9ad98',
  caption: '#5c4a3a',
} as const;

/** Body part thickness in centimetres (scaled with the figure, so all parts stay in proportion). */
const WIDTH = { limb: LIMB_HALF_WIDTH * 2, torsoSide: BODY.torsoHalf * 2, torsoFront: 30, neck: 8, foot: 6 } as const;
const OUTLINE_PX = 1.6;
const MARGIN_PX = 16;
const CAPTION_PX = 24;
/** Largest pixels per centimetre, so small poses (a seated figure) are not blown up past the others. */
const MAX_SCALE = 1.6;

/** Fixed one-decimal formatting; never "-0.0", so output is stable across platforms. */
const n = (v: number) => {
  const s = (Math.round(v * 10) / 10).toFixed(1);
  return s === '-0.0' ? '0.0' : s;
};

interface Layout {
  scale: number;
  toScreen: (p: Vec) => Vec;
  floorY: number;
  keyframes: Skeleton[];
  props: string;
  caption?: string;
}

/** Every moment the picture or the animation can show, so framing covers all of them. */
function sampledMoments(pose: Pose): Moment[] {
  const out: Moment[] = [];
  const kfs = pose.keyframes;
  for (let i = 0; i < kfs.length; i++) {
    const next = kfs[(i + 1) % kfs.length]!;
    for (const t of [0, 0.25, 0.5, 0.75]) out.push(blend(kfs[i]!, next, t));
  }
  return out;
}

/** World-space extents of the props, placed from the first keyframe so they never move. */
function propBox(pose: Pose, first: Skeleton, all: Skeleton[]): { minX: number; maxX: number; maxY: number } | undefined {
  const xs = all.flatMap((s) => pointsOf(s).map((p) => p.x));
  const tallest = Math.max(...all.flatMap((s) => [...pointsOf(s).map((p) => p.y), s.head.y + BODY.headRadius]));
  switch (pose.prop) {
    case 'chair':
      return { minX: first.pelvis.x - 26, maxX: first.pelvis.x + 22, maxY: chairSeat(first) + 48 };
    case 'wall':
      return { minX: Math.min(...xs) - LIMB_HALF_WIDTH - 12, maxX: Math.max(...xs), maxY: tallest + 12 };
    default:
      return undefined;
  }
}

const chairSeat = (s: Skeleton) => s.pelvis.y - LIMB_HALF_WIDTH - 2;

function layout(pose: Pose): Layout {
  const moments = sampledMoments(pose);
  const skeletons = moments.map((m) => skeletonOf(pose, m));
  const keyframes = pose.keyframes.map((k) => skeletonOf(pose, k));
  const pad = LIMB_HALF_WIDTH + 2;
  let minX = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of skeletons) {
    for (const p of pointsOf(s)) {
      minX = Math.min(minX, p.x - pad);
      maxX = Math.max(maxX, p.x + pad);
      maxY = Math.max(maxY, p.y + pad);
    }
    minX = Math.min(minX, s.head.x - BODY.headRadius - 2);
    maxX = Math.max(maxX, s.head.x + BODY.headRadius + 2);
    maxY = Math.max(maxY, s.head.y + BODY.headRadius + 2);
  }
  const box = propBox(pose, keyframes[0]!, skeletons);
  if (box) {
    minX = Math.min(minX, box.minX);
    maxX = Math.max(maxX, box.maxX);
    maxY = Math.max(maxY, box.maxY);
  }
  if (pose.prop === 'mat') {
    minX -= 10;
    maxX += 10;
  }
  const caption = pose.side ? `${pose.side === 'right' ? 'Right' : 'Left'} side shown, then switch sides` : undefined;
  const floorY = VIEW_HEIGHT - MARGIN_PX - (caption ? CAPTION_PX : 0);
  // Room for motion arrows, which sit a little outside the body's path.
  const arrowRoom = pose.trace.length ? 14 : 0;
  const scale = Math.min(MAX_SCALE, (VIEW_WIDTH - 2 * MARGIN_PX - 2 * arrowRoom) / (maxX - minX), (floorY - MARGIN_PX - arrowRoom) / maxY);
  const midX = (minX + maxX) / 2;
  const toScreen = (p: Vec): Vec => ({ x: VIEW_WIDTH / 2 + (p.x - midX) * scale, y: floorY - p.y * scale });
  const l: Layout = { scale, toScreen, floorY, keyframes, props: '', caption };
  l.props = propsSvg(pose, l, minX, maxX, box);
  return l;
}

/** Screen positions of every body point of every keyframe (tests check they stay in the frame). */
export function keyframeScreenPoints(pose: Pose): Array<Record<PosePoint, Vec>> {
  const l = layout(pose);
  return l.keyframes.map((s) => {
    const out = {} as Record<PosePoint, Vec>;
    for (const [name, p] of Object.entries(s)) if (typeof p === 'object') out[name as PosePoint] = l.toScreen(p);
    return out;
  });
}

/** Pixels of clearance the screen points need from the edge: half a limb plus its outline. */
export const keyframePointMargin = (pose: Pose) => layout(pose).scale * Math.max(LIMB_HALF_WIDTH, BODY.headRadius) ;

function propsSvg(pose: Pose, l: Layout, minX: number, maxX: number, box: ReturnType<typeof propBox>): string {
  const s = l.scale;
  const line = (a: Vec, b: Vec, color: string, w: number) => {
    const p = l.toScreen(a);
    const q = l.toScreen(b);
    return `<line x1="${n(p.x)}" y1="${n(p.y)}" x2="${n(q.x)}" y2="${n(q.y)}" stroke="${color}" stroke-width="${n(w)}" stroke-linecap="round"/>`;
  };
  const parts: string[] = [];
  if (pose.prop === 'chair' && box) {
    const seat = chairSeat(l.keyframes[0]!);
    const back = box.minX + 4;
    const front = box.maxX - 4;
    // Side view: seat, two legs and a backrest behind the sitter; front view: seat and legs only.
    parts.push(line({ x: back, y: seat - 3 }, { x: back, y: 0 }, COLORS.chairDark, 4 * s));
    parts.push(line({ x: front, y: seat - 3 }, { x: front, y: 0 }, COLORS.chairDark, 4 * s));
    if (pose.view === 'side') parts.push(line({ x: back, y: seat }, { x: back - 3, y: box.maxY }, COLORS.chairDark, 5 * s));
    parts.push(line({ x: back, y: seat - 2 }, { x: front, y: seat - 2 }, COLORS.chair, 6 * s));
  }
  if (pose.prop === 'wall' && box) {
    const top = l.toScreen({ x: box.minX, y: box.maxY });
    const edge = l.toScreen({ x: box.minX + 8, y: 0 });
    parts.push(`<rect x="0.0" y="${n(top.y)}" width="${n(edge.x)}" height="${n(l.floorY - top.y)}" fill="${COLORS.wall}"/>`);
    parts.push(`<line x1="${n(edge.x)}" y1="${n(top.y)}" x2="${n(edge.x)}" y2="${n(l.floorY)}" stroke="${COLORS.wallEdge}" stroke-width="3.0"/>`);
  }
  parts.push(`<line x1="${n(MARGIN_PX / 2)}" y1="${n(l.floorY)}" x2="${n(VIEW_WIDTH - MARGIN_PX / 2)}" y2="${n(l.floorY)}" stroke="${COLORS.floor}" stroke-width="3.0" stroke-linecap="round"/>`);
  if (pose.prop === 'mat') {
    const a = l.toScreen({ x: minX, y: 0 });
    const b = l.toScreen({ x: maxX, y: 0 });
    parts.push(`<rect x="${n(a.x)}" y="${n(a.y - 3)}" width="${n(b.x - a.x)}" height="6.0" rx="3.0" fill="${COLORS.mat}"/>`);
  }
  return parts.join('');
}

interface Paint {
  shirt: string;
  skin: string;
  trousers: string;
}
const NEAR: Paint = { shirt: COLORS.shirt, skin: COLORS.skin, trousers: COLORS.trousers };
const FAR: Paint = { shirt: COLORS.shirtFar, skin: COLORS.skinFar, trousers: COLORS.trousersFar };

/**
 * A chain of segments in several colours: the outline is one polyline (so there is no seam at
 * the joints), then each segment is stroked in its own colour on top.
 */
function chain(l: Layout, points: Vec[], colors: string[], widthCm: number): string {
  const sp = points.map(l.toScreen);
  const w = widthCm * l.scale;
  const outline = `<polyline points="${sp.map((p) => `${n(p.x)},${n(p.y)}`).join(' ')}" fill="none" stroke="${COLORS.outline}" stroke-width="${n(w + 2 * OUTLINE_PX)}" stroke-linecap="round" stroke-linejoin="round"/>`;
  const fills = colors.map(
    (c, i) => `<line x1="${n(sp[i]!.x)}" y1="${n(sp[i]!.y)}" x2="${n(sp[i + 1]!.x)}" y2="${n(sp[i + 1]!.y)}" stroke="${c}" stroke-width="${n(w)}" stroke-linecap="round"/>`,
  );
  return outline + fills.join('');
}

function arm(l: Layout, s: Skeleton, side: 'L' | 'R', paint: Paint): string {
  return chain(l, [s[`shoulder${side}`], s[`elbow${side}`], s[`wrist${side}`], s[`hand${side}`]], [paint.shirt, paint.skin, paint.skin], WIDTH.limb);
}

function leg(l: Layout, s: Skeleton, side: 'L' | 'R', paint: Paint): string {
  return (
    chain(l, [s[`hip${side}`], s[`knee${side}`], s[`ankle${side}`]], [paint.trousers, paint.trousers], WIDTH.limb) +
    chain(l, [s[`ankle${side}`], s[`toe${side}`]], [COLORS.shoe], WIDTH.foot)
  );
}

/** The point a fraction `t` along the line a→b. */
const towards = (a: Vec, b: Vec, t: number): Vec => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });

function torso(l: Layout, view: Pose['view'], s: Skeleton): string {
  if (view === 'side') {
    const trunk = chain(l, [s.pelvis, s.waist, s.chest, s.neckBase], [COLORS.trousers, COLORS.shirt, COLORS.shirt], WIDTH.torsoSide);
    // A twisted chest shows its width: the shoulders spread apart across the trunk.
    const twisted = Math.abs(s.shoulderL.x - s.shoulderR.x) + Math.abs(s.shoulderL.y - s.shoulderR.y) > 6;
    return twisted ? trunk + chain(l, [s.shoulderR, s.neckBase, s.shoulderL], [COLORS.shirt, COLORS.shirt], WIDTH.limb + 4) : trunk;
  }
  // From the front: a broad trunk, plus a shoulder bar so arms join it at the shoulders.
  return (
    chain(l, [s.pelvis, s.waist, s.chest, s.neckBase], [COLORS.trousers, COLORS.shirt, COLORS.shirt], WIDTH.torsoFront) +
    chain(l, [s.shoulderR, s.neckBase, s.shoulderL], [COLORS.shirt, COLORS.shirt], WIDTH.limb + 2)
  );
}

/** Points of an arc on the head's circle, for the hair (angles: 0 = up, clockwise, y-up space). */
function arcPoints(c: Vec, r: number, from: number, to: number, steps = 12): Vec[] {
  const out: Vec[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = ((from + ((to - from) * i) / steps) * Math.PI) / 180;
    out.push({ x: c.x + Math.sin(a) * r, y: c.y + Math.cos(a) * r });
  }
  return out;
}

function head(l: Layout, view: Pose['view'], s: Skeleton): string {
  const c = l.toScreen(s.head);
  const r = BODY.headRadius * l.scale;
  const a = s.headAngle;
  const poly = (pts: Vec[], fill: string) => `<polygon points="${pts.map(l.toScreen).map((p) => `${n(p.x)},${n(p.y)}`).join(' ')}" fill="${fill}"/>`;
  const dot = (p: Vec, rr: number) => {
    const q = l.toScreen(p);
    return `<circle cx="${n(q.x)}" cy="${n(q.y)}" r="${n(rr)}" fill="${COLORS.outline}"/>`;
  };
  const at = (deg: number, frac: number): Vec => ({ x: s.head.x + Math.sin((deg * Math.PI) / 180) * BODY.headRadius * frac, y: s.head.y + Math.cos((deg * Math.PI) / 180) * BODY.headRadius * frac });
  const parts = [`<circle cx="${n(c.x)}" cy="${n(c.y)}" r="${n(r + OUTLINE_PX)}" fill="${COLORS.outline}"/>`, `<circle cx="${n(c.x)}" cy="${n(c.y)}" r="${n(r)}" fill="${COLORS.skin}"/>`];
  if (view === 'side') {
    // Hair over the back and top; the face (eye) looks the way the head points. A turn toward
    // the viewer (headTurn > 0) moves the face round toward the middle of the circle.
    const turn = Math.max(-60, Math.min(60, s.headTurn));
    const face = a + 90 - turn * 0.6;
    parts.push(poly([...arcPoints(s.head, BODY.headRadius * 0.98, face - 55, face - 250), at(face - 150, 0.2)], COLORS.hair));
    parts.push(dot(at(face - 12, 0.55), 1.6 * l.scale));
  } else {
    const turn = Math.max(-60, Math.min(60, s.headTurn)) * 0.5;
    parts.push(poly([...arcPoints(s.head, BODY.headRadius * 0.98, a - 95, a + 95), at(a, 0.35)], COLORS.hair));
    parts.push(dot(at(a + 180 - 38 + turn, 0.35), 1.5 * l.scale), dot(at(a + 180 + 38 + turn, 0.35), 1.5 * l.scale));
    const m1 = l.toScreen(at(a + 180 - 35 + turn, 0.6));
    const m2 = l.toScreen(at(a + 180 + 35 + turn, 0.6));
    const mid = l.toScreen(at(a + 180 + turn, 0.78));
    parts.push(`<path d="M${n(m1.x)} ${n(m1.y)} Q${n(mid.x)} ${n(mid.y)} ${n(m2.x)} ${n(m2.y)}" fill="none" stroke="${COLORS.outline}" stroke-width="${n(1.2 * l.scale)}" stroke-linecap="round"/>`);
  }
  return parts.join('');
}

function figure(l: Layout, view: Pose['view'], s: Skeleton): string {
  const neck = chain(l, [s.neckBase, towards(s.neckBase, s.head, 0.6)], [COLORS.skin], WIDTH.neck);
  if (view === 'side') {
    // The far (left) limbs go behind the body, the near (right) ones in front.
    return [arm(l, s, 'L', FAR), leg(l, s, 'L', FAR), neck, head(l, view, s), torso(l, view, s), leg(l, s, 'R', NEAR), arm(l, s, 'R', NEAR)].join('');
  }
  return [leg(l, s, 'L', NEAR), leg(l, s, 'R', NEAR), neck, torso(l, view, s), head(l, view, s), arm(l, s, 'L', NEAR), arm(l, s, 'R', NEAR)].join('');
}

/** A motion arrow along the path a point takes through the keyframes, set off to the outside. */
function arrow(l: Layout, pose: Pose, point: PosePoint): string {
  const kfs = pose.keyframes;
  const path: Vec[] = [];
  for (let i = 0; i < kfs.length - 1; i++) {
    for (let k = 0; k <= 12; k++) {
      if (i > 0 && k === 0) continue;
      path.push(l.toScreen(skeletonOf(pose, blend(kfs[i]!, kfs[i + 1]!, k / 12))[point]));
    }
  }
  const length = path.slice(1).reduce((sum, p, i) => sum + Math.hypot(p.x - path[i]!.x, p.y - path[i]!.y), 0);
  if (length < 12) return '';
  // Push the path away from the middle of the body so it does not sit on the limb itself.
  const body = l.toScreen(l.keyframes[stillIndex(pose)]!.chest);
  const offset = 10 + WIDTH.limb * l.scale * 0.5;
  const shifted = path.map((p, i) => {
    const a = path[Math.max(0, i - 1)]!;
    const b = path[Math.min(path.length - 1, i + 1)]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    let nx = -(b.y - a.y) / len;
    let ny = (b.x - a.x) / len;
    if (nx * (p.x - body.x) + ny * (p.y - body.y) < 0) {
      nx = -nx;
      ny = -ny;
    }
    return { x: p.x + nx * offset, y: p.y + ny * offset };
  });
  const trimmed = trim(trim(shifted, 6).reverse(), 6).reverse();
  const d = trimmed.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join(' ');
  const heads = [arrowHead(trimmed.at(-2)!, trimmed.at(-1)!)];
  if (pose.arrows === 'both') heads.push(arrowHead(trimmed[1]!, trimmed[0]!));
  return `${halo(d)}<path d="${d}" fill="none" stroke="${COLORS.arrow}" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>${heads.join('')}`;
}

/** Three quarters of a circle (or of a flat ellipse, for a twist) around a point, with a head. */
function spinArrow(l: Layout, spin: NonNullable<Pose['spin']>, s: Skeleton): string {
  const c = l.toScreen(s[spin.at]);
  const rx = spin.shape === 'flat' ? 34 : 15;
  const ry = spin.shape === 'flat' ? 9 : 15;
  const pts: Vec[] = [];
  // Start behind (top of the ellipse), come round the front: the near side is drawn over the body.
  for (let i = 0; i <= 24; i++) {
    const a = ((-60 + (i * 270) / 24) * Math.PI) / 180;
    pts.push({ x: c.x + Math.cos(a) * rx, y: c.y + Math.sin(a) * ry });
  }
  const d = pts.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join(' ');
  return `${halo(d)}<path d="${d}" fill="none" stroke="${COLORS.arrow}" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>${arrowHead(pts.at(-2)!, pts.at(-1)!)}`;
}

/** A pale band under an arrow, so it stays visible where it crosses the body. */
const halo = (d: string) => `<path d="${d}" fill="none" stroke="${COLORS.background}" stroke-width="7.5" stroke-linecap="round" stroke-linejoin="round" opacity="0.85"/>`;

/** Drops `px` pixels of path from its start, so an arrow stops short of where it points. */
function trim(path: Vec[], px: number): Vec[] {
  let left = px;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    const seg = Math.hypot(b.x - a.x, b.y - a.y);
    if (seg >= left && path.length - i >= 2) {
      const t = left / seg;
      return [{ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }, ...path.slice(i)];
    }
    left -= seg;
  }
  return path;
}

function arrowHead(from: Vec, tip: Vec): string {
  const len = Math.hypot(tip.x - from.x, tip.y - from.y) || 1;
  const ux = (tip.x - from.x) / len;
  const uy = (tip.y - from.y) / len;
  const size = 10;
  const back = { x: tip.x - ux * size, y: tip.y - uy * size };
  const p1 = { x: back.x - uy * size * 0.6, y: back.y + ux * size * 0.6 };
  const p2 = { x: back.x + uy * size * 0.6, y: back.y - ux * size * 0.6 };
  const tipOut = { x: tip.x + ux * 3, y: tip.y + uy * 3 };
  return `<polygon points="${n(tipOut.x)},${n(tipOut.y)} ${n(p1.x)},${n(p1.y)} ${n(p2.x)},${n(p2.y)}" fill="${COLORS.arrow}" stroke="${COLORS.arrow}" stroke-width="2.0" stroke-linejoin="round"/>`;
}

export interface SvgOptions {
  /**
   * Draw one moment of the animation (keyframe `from` blended toward keyframe `to` by `t`,
   * eased) with no trail or arrows. Without it: the still picture, with the other keyframes
   * drawn faintly behind the still keyframe and motion arrows.
   */
  frame?: { from: number; to: number; t: number };
}

export function poseToSvg(pose: Pose, opts: SvgOptions = {}): string {
  const l = layout(pose);
  const body: string[] = [];
  if (opts.frame) {
    const { from, to, t } = opts.frame;
    body.push(figure(l, pose.view, skeletonOf(pose, blend(pose.keyframes[from]!, pose.keyframes[to]!, ease(t)))));
  } else {
    const still = stillIndex(pose);
    const ghosts = l.keyframes.filter((_, i) => i !== still).map((s) => figure(l, pose.view, s));
    body.push(`<g opacity="0.35">${ghosts.join('')}</g>`);
    body.push(figure(l, pose.view, l.keyframes[still]!));
    body.push(...pose.trace.map((p) => arrow(l, pose, p)));
    if (pose.spin) body.push(spinArrow(l, pose.spin, l.keyframes[still]!));
  }
  const caption = l.caption
    ? `<text x="${n(VIEW_WIDTH / 2)}" y="${n(VIEW_HEIGHT - MARGIN_PX / 2 - 4)}" text-anchor="middle" font-family="${FONT_FAMILY}" font-weight="bold" font-size="14" fill="${COLORS.caption}">${l.caption}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}" width="${VIEW_WIDTH}" height="${VIEW_HEIGHT}">` +
    `<rect width="${VIEW_WIDTH}" height="${VIEW_HEIGHT}" rx="18" fill="${COLORS.background}"/>` +
    l.props +
    body.join('') +
    caption +
    '</svg>'
  );
}

/** One frame of the animation and how long it stays on screen. */
export interface AnimationFrame {
  frame: { from: number; to: number; t: number };
  delayMs: number;
}

/**
 * The loop: rest on each keyframe for its `hold`, then move to the next (the last moves back
 * to the first) in `moveSeconds`, at `fps` frames per second.
 */
export function animationFrames(pose: Pose, fps = 12): AnimationFrame[] {
  const out: AnimationFrame[] = [];
  const steps = Math.max(2, Math.round(pose.moveSeconds * fps));
  const frameMs = Math.round(1000 / fps);
  pose.keyframes.forEach((kf, i) => {
    const to = (i + 1) % pose.keyframes.length;
    out.push({ frame: { from: i, to: i, t: 0 }, delayMs: Math.max(frameMs, Math.round(kf.hold * 1000)) });
    for (let k = 1; k < steps; k++) out.push({ frame: { from: i, to, t: k / steps }, delayMs: frameMs });
  });
  return out;
}
