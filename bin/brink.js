#!/usr/bin/env node
// Ink loads React's development reconciler unless NODE_ENV says production (35–50 % more CPU a frame).
process.env.NODE_ENV ??= 'production';
await import('../dist/cli.js');
