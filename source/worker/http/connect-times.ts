// The connections a worker opened and how long each took to come up (TCP, and TLS over https).
// Kept apart from request latency, as wrk and k6 do: a request's latency starts once its connection is
// up, so a thousand connections opened at once do not read as a slow server. A server slow to accept
// (a full backlog, dropped SYNs) or one that closes every connection shows here instead.
import {createHistogram, encode, recordUs} from '../../kernel/histogram.js';
import type {ConnectInterval} from '../../protocol/snapshot.js';

export class ConnectTimes {
  private opened = 0;
  private readonly histogram = createHistogram();

  record(ms: number): void {
    this.opened++;
    recordUs(this.histogram, ms * 1000);
  }

  /** The interval's connections, or undefined when none opened; counting starts again from zero. */
  take(): ConnectInterval | undefined {
    if (this.opened === 0) return undefined;
    const out = {opened: this.opened, histogram: encode(this.histogram)};
    this.opened = 0;
    this.histogram.reset();
    return out;
  }
}
