// A signal that arrives while brink is still loading is kept, and stops the run the moment it starts.
import {describe, expect, it, vi} from 'vitest';
import {installInterrupts, onInterrupt} from '../../source/cli/interrupts.js';

describe('interrupts', () => {
  it('a signal before the run is attached stops it as soon as it attaches; later ones go to the attached run', () => {
    installInterrupts();
    process.emit('SIGTERM', 'SIGTERM');
    const first = vi.fn();
    const detach = onInterrupt(first);
    expect(first).toHaveBeenCalledTimes(1);
    process.emit('SIGHUP', 'SIGHUP');
    expect(first).toHaveBeenCalledTimes(2);
    detach();
    process.emit('SIGINT', 'SIGINT'); // after the run: kept, harmless, never kills the process
    const second = vi.fn();
    onInterrupt(second)();
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledTimes(2);
  });
});
