/**
 * One limit of a budget with the count it was checked against. Most rules cap a count; a rule
 * with `bound: 'min'` requires at least `limit`, such as the concurrency of a save.
 */
export interface BudgetRule {
  rule: string;
  limit: number;
  actual: number;
  /** Default `'max'`: `actual` may not exceed `limit`. */
  bound?: 'max' | 'min';
}

export function isWithinLimit(rule: BudgetRule): boolean {
  return rule.bound === 'min' ? rule.actual >= rule.limit : rule.actual <= rule.limit;
}

/** States a rule and its count, as in "thread update 5, at most 4". */
export function describeRule(rule: BudgetRule): string {
  const bound = rule.bound === 'min' ? 'at least' : 'at most';
  return `${rule.rule} ${rule.actual}, ${bound} ${rule.limit}`;
}
