#!/usr/bin/env node
// Ink loads React's development reconciler unless NODE_ENV says production (35–50 % more CPU a frame).
process.env.NODE_ENV ??= 'production';
// Signals first: a Ctrl-C while brink is still loading must stop it cleanly, not kill it.
const {installInterrupts} = await import('../dist/cli/interrupts.js');
installInterrupts();
await import('../dist/cli.js');
