/** A mistake in the command line or the scenario: exit code 2, one line that says what to fix. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = {ok: 0, internal: 1, usage: 2, regression: 3, thresholds: 99} as const;
