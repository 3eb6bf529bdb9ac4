/**
 * A small finite-state machine over a typed transition map, in the style of Vendure's order
 * state machine: a lifecycle is data (`{ CREATED: { to: ['PAID', 'CANCELLED'] }, … }`), checked
 * once when the module loads, so a broken map stops start-up instead of stranding orders later.
 * Guards return a reason instead of throwing; callers turn a refusal into a typed result.
 */

export type TransitionMap<S extends string> = { readonly [K in S]: { readonly to: readonly S[] } };

export interface LifecycleDefinition<S extends string> {
  /** Names the lifecycle in errors and refusal reasons, e.g. `order`. */
  name: string;
  /** Every state, in the order screens list them. */
  states: readonly S[];
  initial: S;
  /** States nothing leaves. Every other state must have a way out. */
  terminal: readonly S[];
  transitions: TransitionMap<S>;
}

export type TransitionRefusalCode = 'UNKNOWN_STATE' | 'TERMINAL_STATE' | 'TRANSITION_NOT_ALLOWED';
export type TransitionCheck = { ok: true } | { ok: false; reason: string; code: TransitionRefusalCode };

export interface Lifecycle<S extends string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly initial: S;
  isState(value: unknown): value is S;
  canTransition(from: S, to: S): TransitionCheck;
  /** The states `from` may move to directly; empty for a terminal or unknown state. */
  nextStates(from: S): readonly S[];
  isTerminal(state: S): boolean;
  /** Whether `to` can be reached from `from` in one or more transitions. */
  canReach(from: S, to: S): boolean;
}

/** Thrown at start-up when a transition map is broken; `problems` lists every defect found. */
export class LifecycleDefinitionError extends Error {
  constructor(
    readonly lifecycle: string,
    readonly problems: readonly string[],
  ) {
    super(`lifecycle "${lifecycle}" is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LifecycleDefinitionError';
  }
}

export function defineLifecycle<S extends string>(definition: LifecycleDefinition<S>): Lifecycle<S> {
  const { name, states, initial, terminal, transitions } = definition;
  const known = new Set<string>(states);
  const isState = (value: unknown): value is S => typeof value === 'string' && known.has(value);
  // Tolerates a broken map (missing entries, unknown targets) so validation can report them all.
  const targetsOf = (state: string): readonly string[] =>
    Object.hasOwn(transitions, state)
      ? ((transitions as Record<string, { to?: readonly string[] }>)[state].to ?? [])
      : [];
  const reachable = new Map(states.map((s) => [s as string, walk(s, targetsOf, isState)]));

  const problems = findProblems(definition, isState, targetsOf, reachable.get(initial));
  if (problems.length > 0) throw new LifecycleDefinitionError(name, problems);

  const isTerminal = (state: S) => terminal.includes(state);
  const refuse = (code: TransitionRefusalCode, reason: string): TransitionCheck => ({
    ok: false,
    code,
    reason,
  });
  return {
    name,
    states,
    initial,
    isState,
    isTerminal,
    nextStates: (from) => (isState(from) ? transitions[from].to : []),
    canReach: (from, to) => reachable.get(from)?.has(to) ?? false,
    canTransition(from, to) {
      for (const state of [from, to]) {
        if (!isState(state)) return refuse('UNKNOWN_STATE', `"${state}" is not a ${name} state`);
      }
      if (isTerminal(from)) {
        return refuse('TERMINAL_STATE', `${name} is ${from}, a final state; it cannot move to ${to}`);
      }
      const allowed = transitions[from].to;
      if (allowed.includes(to)) return { ok: true };
      return refuse(
        'TRANSITION_NOT_ALLOWED',
        `${name} cannot move from ${from} to ${to}; from ${from} it can move to ${allowed.join(', ')}`,
      );
    },
  };
}

function findProblems<S extends string>(
  { states, initial, terminal, transitions }: LifecycleDefinition<S>,
  isState: (value: unknown) => value is S,
  targetsOf: (state: string) => readonly string[],
  reachedFromInitial: ReadonlySet<string> | undefined,
): string[] {
  const problems: string[] = [];
  states.forEach((state, index) => {
    if (states.indexOf(state) !== index) problems.push(`state "${state}" is listed twice`);
  });
  if (!isState(initial)) problems.push(`initial state "${initial}" is not a known state`);
  for (const state of terminal) {
    if (!isState(state)) problems.push(`terminal state "${state}" is not a known state`);
  }
  for (const key of Object.keys(transitions)) {
    if (!isState(key)) problems.push(`transitions has an entry for "${key}", which is not a known state`);
  }
  for (const state of new Set(states)) {
    if (!Object.hasOwn(transitions, state)) {
      problems.push(`state "${state}" has no entry in the transition map`);
      continue;
    }
    const targets = targetsOf(state);
    for (const target of targets.filter((t) => !isState(t))) {
      problems.push(`state "${state}" lists "${target}" as a target, which is not a known state`);
    }
    if (terminal.includes(state) && targets.length > 0) {
      problems.push(`terminal state "${state}" has outgoing transitions (to ${targets.join(', ')})`);
    }
    if (!terminal.includes(state) && targets.length === 0) {
      problems.push(`state "${state}" is not terminal but has no outgoing transitions`);
    }
    if (reachedFromInitial && state !== initial && !reachedFromInitial.has(state)) {
      problems.push(`state "${state}" is unreachable from the initial state "${initial}"`);
    }
  }
  return problems;
}

/** The known states reachable from `start` in one or more steps. */
function walk(
  start: string,
  targetsOf: (state: string) => readonly string[],
  isState: (v: unknown) => boolean,
) {
  const seen = new Set<string>();
  const queue = [...targetsOf(start)];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    if (seen.has(state) || !isState(state)) continue;
    seen.add(state);
    queue.push(...targetsOf(state));
  }
  return seen;
}
