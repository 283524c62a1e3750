// The interval clock: every interval it asks the pool for snapshots (numbered), and folds what came back once
// every live worker answered or half an interval passed. A late answer joins the next interval; an interval
// nobody answered in time is skipped (its late answers then make the next one span both).
import type {IntervalSnapshot} from '../protocol/snapshot.js';

export class IntervalClock {
  private seq = 0;
  private readonly pending = new Map<number, IntervalSnapshot[]>();
  /** Snapshots that arrived after their interval was folded; they join the next one. */
  private late: IntervalSnapshot[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly ask: (seq: number) => void,
    /** How many workers should answer (the live ones). */
    private readonly expected: () => number,
    private readonly fold: (snapshots: IntervalSnapshot[]) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  private tick(): void {
    const seq = ++this.seq;
    this.pending.set(seq, []);
    this.ask(seq);
    // A busy worker may answer late: fold what arrived after half an interval; late answers join the next tick.
    setTimeout(() => this.close(seq), Math.min(500, this.intervalMs / 2)).unref();
  }

  /** A snapshot from the pool: the answer to an interval still open, or a late one. */
  receive(snapshot: IntervalSnapshot): void {
    const bucket = this.pending.get(snapshot.seq);
    if (!bucket) {
      this.late.push(snapshot);
      return;
    }
    bucket.push(snapshot);
    if (bucket.length === this.expected()) this.close(snapshot.seq);
  }

  private close(seq: number): void {
    const snapshots = this.pending.get(seq);
    if (!snapshots) return;
    this.pending.delete(seq);
    // No worker answered in time (a saturated or busy host): folding would put an interval of 0 req/s in
    // the series, and the late answers would then double the next. Skipped, the next interval spans both.
    if (snapshots.length === 0 && this.late.length === 0) return;
    this.fold(this.withLate(snapshots));
  }

  /** `fresh` with the late snapshots waiting, which are then gone. */
  withLate(fresh: IntervalSnapshot[]): IntervalSnapshot[] {
    const all = this.late.length > 0 ? [...this.late, ...fresh] : fresh;
    this.late = [];
    return all;
  }

  /** Stops ticking and folds every interval still open. */
  stop(): void {
    clearInterval(this.timer);
    for (const seq of [...this.pending.keys()]) this.close(seq);
    this.pending.clear();
  }
}
