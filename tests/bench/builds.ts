// Which builds a benchmark measures in the same run.

/** One build: its name in the tables, and its `dist/chrome` (this checkout's when none). */
export interface Build {
  name: string;
  dir?: string;
}

/** This checkout's build, and the one JOB_ACTIONS_BASELINE_CHROME_DIR names (a dist/chrome built
 * from another commit) when set, to measure side by side. */
export function measuredBuilds(): Build[] {
  const baseline = process.env.JOB_ACTIONS_BASELINE_CHROME_DIR;
  return baseline ? [{ name: 'this build' }, { name: 'baseline build', dir: baseline }] : [{ name: 'this build' }];
}
