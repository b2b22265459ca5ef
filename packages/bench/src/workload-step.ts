import type { DomainName, WorkloadState } from './workload-state.js';

/** Sizes a step used, for the budget formulas (N messages read, B messages saved, ...). */
export type StepParams = Record<string, number>;

/** One measured step of the workload. */
export interface WorkloadStep {
  name: string;
  /** What the step does, for the report and README. */
  summary: string;
  domain: DomainName;
  /** A step whose data this step needs; when that one did not run, this one does not either. */
  requires?: string;
  run(state: WorkloadState): Promise<StepParams>;
}

/** Returns the domain of a step, throwing when the store lacks it. */
export function requireDomain<Name extends DomainName>(
  state: WorkloadState,
  name: Name,
): NonNullable<WorkloadState['domains'][Name]> {
  const domain = state.domains[name];
  if (domain === undefined) throw new Error(`The store has no ${name} domain.`);
  return domain as NonNullable<WorkloadState['domains'][Name]>;
}
