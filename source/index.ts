// brink's public API: what a scenario file imports.
export {scenario, user, task, between, constant, pacing, ScenarioError} from './scenario/define.js';
export {csv, rows} from './scenario/feeder.js';
export {formField} from './scenario/html.js';
export type * from './scenario/types.js';
export {steps, stages, spike, arrivals} from './scenario/plans.js';
