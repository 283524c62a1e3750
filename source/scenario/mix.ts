// Which user type a user number gets. The sequence is deterministic and every prefix follows the
// weights as closely as whole users allow, so any user count (and removing the newest users) keeps the mix.
export class UserMix {
  private readonly sequence: number[] = [];
  private readonly counts: number[];
  private readonly total: number;

  constructor(private readonly weights: ReadonlyArray<number>) {
    this.counts = weights.map(() => 0);
    this.total = weights.reduce((a, b) => a + b, 0);
  }

  typeOf(userId: number): number {
    while (this.sequence.length <= userId) {
      const n = this.sequence.length + 1;
      let best = 0;
      let bestDeficit = -Infinity;
      for (let i = 0; i < this.weights.length; i++) {
        const deficit = (this.weights[i] * n) / this.total - this.counts[i];
        if (deficit > bestDeficit + 1e-9) {
          best = i;
          bestDeficit = deficit;
        }
      }
      this.counts[best]++;
      this.sequence.push(best);
    }
    return this.sequence[userId];
  }
}
