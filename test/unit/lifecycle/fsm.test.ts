import { describe, expect, it } from 'vitest';
import {
  defineLifecycle,
  type LifecycleDefinition,
  LifecycleDefinitionError,
  type TransitionMap,
} from '../../../api/src/domain/fsm/fsm.js';

type Door = 'CLOSED' | 'OPEN' | 'LOCKED' | 'GONE';
const doorStates: readonly Door[] = ['CLOSED', 'OPEN', 'LOCKED', 'GONE'];
const doorTransitions: TransitionMap<Door> = {
  CLOSED: { to: ['OPEN', 'LOCKED', 'GONE'] },
  OPEN: { to: ['CLOSED'] },
  LOCKED: { to: ['CLOSED'] },
  GONE: { to: [] },
};
const door = (overrides: Partial<LifecycleDefinition<Door>> = {}): LifecycleDefinition<Door> => ({
  name: 'door',
  states: doorStates,
  initial: 'CLOSED',
  terminal: ['GONE'],
  transitions: doorTransitions,
  ...overrides,
});

/** Builds a definition the type system would refuse, as a map loaded from data could be. */
const broken = (overrides: Record<string, unknown>) => door(overrides as Partial<LifecycleDefinition<Door>>);

function problemsOf(definition: LifecycleDefinition<Door>): readonly string[] {
  try {
    defineLifecycle(definition);
  } catch (error) {
    expect(error).toBeInstanceOf(LifecycleDefinitionError);
    return (error as LifecycleDefinitionError).problems;
  }
  throw new Error('expected the definition to be rejected');
}

describe('defineLifecycle validation', () => {
  it('accepts a sound map', () => {
    expect(() => defineLifecycle(door())).not.toThrow();
  });

  it('rejects a state missing from the transition map', () => {
    const { LOCKED: _, ...withoutLocked } = doorTransitions;
    expect(problemsOf(broken({ transitions: withoutLocked }))).toEqual([
      'state "LOCKED" has no entry in the transition map',
    ]);
  });

  it('rejects a target that is not a known state', () => {
    const transitions = { ...doorTransitions, OPEN: { to: ['CLOSED', 'AJAR'] } };
    expect(problemsOf(broken({ transitions }))).toEqual([
      'state "OPEN" lists "AJAR" as a target, which is not a known state',
    ]);
  });

  it('rejects a state unreachable from the initial state', () => {
    const transitions: TransitionMap<Door> = { ...doorTransitions, CLOSED: { to: ['OPEN', 'GONE'] } };
    expect(problemsOf(door({ transitions }))).toEqual([
      'state "LOCKED" is unreachable from the initial state "CLOSED"',
    ]);
  });

  it('rejects a terminal state with outgoing transitions', () => {
    const transitions = { ...doorTransitions, GONE: { to: ['CLOSED'] } } as TransitionMap<Door>;
    expect(problemsOf(door({ transitions }))).toEqual([
      'terminal state "GONE" has outgoing transitions (to CLOSED)',
    ]);
  });

  it('rejects a non-terminal state with no way out', () => {
    const transitions = { ...doorTransitions, LOCKED: { to: [] } };
    expect(problemsOf(door({ transitions }))).toEqual([
      'state "LOCKED" is not terminal but has no outgoing transitions',
    ]);
  });

  it('rejects an unknown initial or terminal state, an unknown map entry and a state listed twice', () => {
    const transitions = { ...doorTransitions, AJAR: { to: ['CLOSED'] } };
    expect(
      problemsOf(
        broken({
          states: [...doorStates, 'OPEN'],
          initial: 'SHUT',
          terminal: ['GONE', 'BURNT'],
          transitions,
        }),
      ),
    ).toEqual([
      'state "OPEN" is listed twice',
      'initial state "SHUT" is not a known state',
      'terminal state "BURNT" is not a known state',
      'transitions has an entry for "AJAR", which is not a known state',
    ]);
  });

  it('lists every problem in one error message naming the lifecycle and the states', () => {
    const transitions = { CLOSED: { to: ['OPEN', 'AJAR'] }, OPEN: { to: [] }, GONE: { to: ['OPEN'] } };
    expect(() => defineLifecycle(broken({ transitions }))).toThrow(
      [
        'lifecycle "door" is invalid:',
        '  - state "CLOSED" lists "AJAR" as a target, which is not a known state',
        '  - state "OPEN" is not terminal but has no outgoing transitions',
        '  - state "LOCKED" has no entry in the transition map',
        '  - terminal state "GONE" has outgoing transitions (to OPEN)',
        '  - state "GONE" is unreachable from the initial state "CLOSED"',
      ].join('\n'),
    );
  });
});

describe('a defined lifecycle', () => {
  const lifecycle = defineLifecycle(door());

  it('keeps the states in their given order', () => {
    expect(lifecycle.states).toEqual(['CLOSED', 'OPEN', 'LOCKED', 'GONE']);
    expect(lifecycle.initial).toBe('CLOSED');
  });

  it('allows a listed transition', () => {
    expect(lifecycle.canTransition('CLOSED', 'LOCKED')).toEqual({ ok: true });
  });

  it('refuses an unlisted transition with a reason naming the allowed ones', () => {
    expect(lifecycle.canTransition('OPEN', 'LOCKED')).toEqual({
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      reason: 'door cannot move from OPEN to LOCKED; from OPEN it can move to CLOSED',
    });
  });

  it('refuses to leave a terminal state', () => {
    expect(lifecycle.canTransition('GONE', 'CLOSED')).toEqual({
      ok: false,
      code: 'TERMINAL_STATE',
      reason: 'door is GONE, a final state; it cannot move to CLOSED',
    });
  });

  it('refuses an unknown state without throwing', () => {
    expect(lifecycle.canTransition('CLOSED', 'AJAR' as Door)).toEqual({
      ok: false,
      code: 'UNKNOWN_STATE',
      reason: '"AJAR" is not a door state',
    });
    expect(lifecycle.canTransition(undefined as unknown as Door, 'OPEN')).toMatchObject({
      code: 'UNKNOWN_STATE',
    });
    expect(lifecycle.nextStates('AJAR' as Door)).toEqual([]);
  });

  it('lists next states, terminal states and reachability', () => {
    expect(lifecycle.nextStates('CLOSED')).toEqual(['OPEN', 'LOCKED', 'GONE']);
    expect(lifecycle.nextStates('GONE')).toEqual([]);
    expect(lifecycle.isTerminal('GONE')).toBe(true);
    expect(lifecycle.isTerminal('OPEN')).toBe(false);
    expect(lifecycle.canReach('OPEN', 'LOCKED')).toBe(true);
    expect(lifecycle.canReach('OPEN', 'OPEN')).toBe(true);
    expect(lifecycle.canReach('GONE', 'CLOSED')).toBe(false);
    expect(lifecycle.isState('LOCKED')).toBe(true);
    expect(lifecycle.isState('AJAR')).toBe(false);
  });
});
