// The live view as the CLI loads it: one entry, bundled at build time into view.bundle.js (see package.json).
// Ink imports `throttle` from es-toolkit's compat barrel, which alone resolves ~1,300 modules (most of Ink's
// ~0.45 s load); bundled, it is tree-shaken away and the view loads from a single file.
export {createLiveStore} from './store.js';
export {renderLive} from './render-live.js';
