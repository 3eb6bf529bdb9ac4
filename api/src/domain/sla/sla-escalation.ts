import { activeStage, appliedLevel, levelDueAt, type SlaOrderSnapshot } from './sla-clock.js';
import type { SlaAction, SlaPolicyDraft, StageName } from './sla-policy.js';

export interface DueEscalation {
  level: number;
  actions: readonly SlaAction[];
  dueAt: Date;
}

export interface EscalationPlan {
  /** The active stage; store it with the new level so a later stage change is noticed. */
  stage: StageName | null;
  /**
   * Every level due since the last applied one, lowest first, each exactly once. The caller
   * applies them and stores the last level; an outbox key of order + stage + level keeps a
   * repeated sweep from sending twice.
   */
  levelsToApply: DueEscalation[];
  /** When the first level not yet due falls due; null when the chain is exhausted or no clock runs. */
  nextCheckAt: Date | null;
}

/**
 * What the sweep must do for one order now. A sweep that ran late gets all the levels it missed,
 * in order; levels at or below the applied one (in the same stage) are never returned again.
 */
export function planEscalation(order: SlaOrderSnapshot, policy: SlaPolicyDraft, now: Date): EscalationPlan {
  const active = activeStage(order, policy);
  if (!active) return { stage: null, levelsToApply: [], nextCheckAt: null };
  const levelsToApply: DueEscalation[] = [];
  for (let level = appliedLevel(order, active.name) + 1; level <= policy.escalation.length; level++) {
    const step = policy.escalation[level - 1];
    const dueAt = levelDueAt(active.deadline, step);
    if (dueAt.getTime() > now.getTime()) return { stage: active.name, levelsToApply, nextCheckAt: dueAt };
    levelsToApply.push({ level, actions: step.actions, dueAt });
  }
  return { stage: active.name, levelsToApply, nextCheckAt: null };
}
