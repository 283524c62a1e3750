// A scenario's process.exit() ended its worker thread, and with it every user on it: the controller replaced
// the worker, raced the half-started one, and gave up after 20 replacements in silence. In a worker it now
// throws where it was called instead: a script error with its file:line, and the user goes on.

export class ScenarioExitError extends Error {
  override name = 'ScenarioExitError';
}

/** Replaces process.exit in this worker thread (before the scenario is loaded). */
export function forbidProcessExit(): void {
  process.exit = ((code?: number | string) => {
    throw new ScenarioExitError(`process.exit(${code ?? ''}) called in the scenario: a task fails by throwing, and brink ends the run`);
  }) as typeof process.exit;
}
