// A worker's share of `-n N` (stop after N requests, as hey and oha do): users take a ticket before each
// request and stop when none is left; the recorder tells the budget each time a request ended, and once all
// of them have, the worker says so (the engine stops the run when every worker has).
export class RequestBudget {
  private left: number;
  private ended = 0;

  constructor(
    readonly total: number,
    private readonly spent: () => void,
  ) {
    this.left = total;
    if (total === 0) queueMicrotask(spent);
  }

  /** A ticket for one request; false when the budget is used up (the user stops). */
  take(): boolean {
    if (this.left === 0) return false;
    this.left--;
    return true;
  }

  /** One request (of one ticket) ended and was recorded. */
  recorded(): void {
    if (++this.ended === this.total) this.spent();
  }
}
