import {
  type DivisionEntry,
  type DivisionIndex,
  LEVEL_DEPTH,
  type NameHit,
  within,
} from './division-index.js';

/**
 * Reading region names off the front of an address. From a position, every name that starts
 * there is looked up in one trie walk; each that fits what has been read so far (a city inside the
 * province, a district inside the city, or the same region named again) opens a branch. Branches
 * are scored by how much they state, so 吉林市船营区 reads as the city 吉林市 and not as the
 * province 吉林 followed by junk. Equally good branches that end in different regions are ambiguous.
 */
export interface RegionReading {
  /** The deepest region read. */
  anchor: DivisionEntry;
  /** Index into the Han string where the reading began and where it ended. */
  start: number;
  end: number;
  score: number;
  /** Bit set of the levels named in the text (see LEVEL_BIT). */
  stated: number;
  /** How many names were short forms (深圳, 浦东, 延边). */
  shortForms: number;
}

export type ReadingOutcome =
  | { kind: 'none' }
  | { kind: 'one'; reading: RegionReading }
  | { kind: 'ambiguous'; readings: RegionReading[] };

export const LEVEL_BIT = { province: 1, city: 2, district: 4, township: 8 } as const;

const WEIGHT = { full: 3, short: 2.5, placeholder: 1 } as const;
/** A name that repeats what was already read (浙江省…浙江省, or the field's region in the text). */
const RESTATED_WEIGHT = 0.5;
const TOWNSHIP_WEIGHT = 1;

/**
 * A short form directly followed by one of these may be the start of a longer word (南京路, 朝阳门,
 * 吉林市…), so it only counts if another region name follows (唐山路北区, 江苏镇江, 内江市中区).
 */
const SHORT_FORM_STOPS = new Set(Array.from('省市区县州盟旗镇乡村街路道巷弄门桥', (c) => c.charCodeAt(0)));

/** At most this many names in one reading (province, city, district, township and a repeat). */
const MAX_NAMES = 5;
/** Hard cap on branches explored, whatever the input. */
const MAX_BRANCHES = 64;

const NONE: ReadingOutcome = { kind: 'none' };

/**
 * Reads the regions named at `start` of `han`. With a `scope` (the region the channel fields
 * named) only names inside or around it are taken, and a reading must add to or restate it.
 */
export function readRegions(
  index: DivisionIndex,
  han: string,
  start: number,
  scope: DivisionEntry | null,
): ReadingOutcome {
  const search = new Search(index, han, start);
  search.extend({ pos: start, anchor: scope, score: 0, stated: 0, shortForms: 0, names: 0 }, false);
  return search.outcome();
}

/**
 * Where a region plausibly starts later in the text ("张三 138… 浙江省杭州市…"): the first position
 * after `from`, within `window` characters, where a full province or city name begins.
 */
export function findRegionStart(index: DivisionIndex, han: string, from: number, window: number): number {
  const stop = Math.min(han.length, from + window);
  for (let pos = from; pos < stop; pos++) {
    let found = false;
    index.names.forEachPrefix(han, pos, (_end, hits) => {
      for (const hit of hits) {
        if (
          hit.kind === 'full' &&
          !hit.needsParent &&
          (hit.entry.level === 'province' || hit.entry.level === 'city')
        ) {
          found = true;
        }
      }
    });
    if (found) return pos;
  }
  return -1;
}

interface Branch {
  pos: number;
  anchor: DivisionEntry | null;
  score: number;
  stated: number;
  shortForms: number;
  names: number;
}

interface Step {
  hit: NameHit;
  end: number;
  anchor: DivisionEntry;
  weight: number;
}

class Search {
  private readonly terminals: RegionReading[] = [];
  private branches = 0;

  constructor(
    private readonly index: DivisionIndex,
    private readonly han: string,
    private readonly start: number,
  ) {}

  /**
   * Follows every name that may come next. A branch ends where nothing more fits; it is recorded
   * unless it must continue (a short form followed by 路, 门, 市…) and cannot. Returns whether
   * anything was recorded below this branch.
   */
  extend(branch: Branch, mustContinue: boolean): boolean {
    let recorded = false;
    if (branch.names < MAX_NAMES) {
      for (const step of this.stepsAt(branch)) {
        if (this.branches >= MAX_BRANCHES) break;
        this.branches++;
        const short = step.hit.kind === 'short';
        const next: Branch = {
          pos: step.end,
          anchor: step.anchor,
          score: branch.score + step.weight,
          stated: branch.stated | LEVEL_BIT[step.hit.entry.level],
          shortForms: branch.shortForms + (short ? 1 : 0),
          names: branch.names + 1,
        };
        const stops =
          short && step.end < this.han.length && SHORT_FORM_STOPS.has(this.han.charCodeAt(step.end));
        if (this.extend(next, stops)) recorded = true;
      }
    }
    if (recorded || mustContinue || branch.anchor === null || branch.names === 0) return recorded;
    const { anchor, pos, score, stated, shortForms } = branch;
    this.terminals.push({ anchor, start: this.start, end: pos, score, stated, shortForms });
    return true;
  }

  /**
   * The names at the branch's position that fit after it. A name is dropped when a longer full
   * name fits at the same place and is either another region's name (吉林松原经济开发区 is one
   * district, not the short 吉林 + 松原) or named after it (怀化市洪江管理区 is one district, not
   * 怀化市 + 洪江).
   */
  private stepsAt(branch: Branch): Step[] {
    const steps: Step[] = [];
    let longestFull: Step | null = null;
    this.index.names.forEachPrefix(this.han, branch.pos, (end, hits) => {
      for (const hit of hits) {
        const step = this.step(hit, branch.anchor, end);
        if (step === null) continue;
        steps.push(step);
        if (hit.kind === 'full') longestFull = step;
      }
    });
    const full = longestFull as Step | null;
    if (full === null) return steps;
    // A region's own longer name does not count: 内江 + 市中区 stays possible next to 内江市.
    return steps.filter(
      (s) =>
        s.end >= full.end ||
        s.hit.entry === full.hit.entry ||
        (s.hit.kind !== 'short' && !within(full.hit.entry, s.hit.entry)),
    );
  }

  /** Whether `hit` may follow what has been read, and what it adds. */
  private step(hit: NameHit, anchor: DivisionEntry | null, end: number): Step | null {
    const entry = hit.entry;
    const weight = entry.level === 'township' ? TOWNSHIP_WEIGHT : WEIGHT[hit.kind];
    if (anchor === null) return hit.needsParent ? null : { hit, end, anchor: entry, weight };
    if (within(entry, anchor) && LEVEL_DEPTH[entry.level] > LEVEL_DEPTH[anchor.level])
      return { hit, end, anchor: entry, weight };
    // Restating: the same region again, or one around it. 市辖区 / 县 only ever introduce a level.
    if (hit.kind === 'placeholder') return null;
    return within(anchor, entry) || within(entry, anchor)
      ? { hit, end, anchor, weight: RESTATED_WEIGHT }
      : null;
  }

  /** The best readings (see compareReadings); ambiguous when they end in different regions. */
  outcome(): ReadingOutcome {
    if (this.terminals.length === 0) return NONE;
    let best: RegionReading[] = [];
    for (const t of this.terminals) {
      const order = best.length === 0 ? 1 : compareReadings(t, best[0]);
      if (order > 0) best = [t];
      else if (order === 0 && !best.some((b) => b.anchor === t.anchor)) best.push(t);
    }
    return best.length === 1 ? { kind: 'one', reading: best[0] } : { kind: 'ambiguous', readings: best };
  }
}

/** Higher score, then more text read, then fewer short forms. */
function compareReadings(a: RegionReading, b: RegionReading): number {
  return a.score - b.score || a.end - b.end || b.shortForms - a.shortForms;
}
