import type { Access } from './auth/roles.js';

export interface TransitionRule {
  /** Who may trigger it; staff ADMIN always may. */
  by: readonly Access[];
  /** A non-empty reason must be given. */
  requiresReason?: boolean;
}

/** A lifecycle kept as data: for each state, the states it may move to and who may move it there. */
export type LifecycleTable<S extends string> = Record<S, Partial<Record<S, TransitionRule>>>;

export class Lifecycle<S extends string> {
  constructor(
    readonly name: string,
    readonly table: LifecycleTable<S>,
  ) {}

  /** States reachable from `from`, in table order. */
  nextStates(from: S): S[] {
    return Object.keys(this.table[from] ?? {}) as S[];
  }

  rule(from: S, to: S): TransitionRule | undefined {
    return this.table[from]?.[to];
  }

  isTerminal(state: S): boolean {
    return this.nextStates(state).length === 0;
  }
}
