// Bundles the live view (dist/ui/view.js → dist/ui/bundle/) so that the CLI loads it from one file: see
// source/ui/view.ts for why. Ink's frame buffer is swapped for brink's (source/ui/ink-output.ts, why there).
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';

const inkOutput = fileURLToPath(new URL('../dist/ui/ink-output.js', import.meta.url));

/** Ink's renderer imports its Output as './output.js': that one import resolves to brink's. */
const swapInkOutput = {
  name: 'brink-ink-output',
  setup(b) {
    let swapped = false;
    b.onResolve({filter: /^\.\/output\.js$/}, (args) => {
      if (!/[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer)) return undefined;
      swapped = true;
      return {path: inkOutput};
    });
    b.onEnd((result) => {
      // An Ink that no longer imports it this way would silently keep its own: fail the build instead.
      if (result.errors.length === 0 && !swapped)
        throw new Error("build-view: Ink's renderer no longer imports './output.js'; update scripts/build-view.mjs");
    });
  },
};

await build({
  entryPoints: [fileURLToPath(new URL('../dist/ui/view.js', import.meta.url))],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['react-devtools-core'], // Ink's optional devtools stay a lazy chunk, as unbundled
  outdir: fileURLToPath(new URL('../dist/ui/bundle', import.meta.url)),
  logLevel: 'warning',
  plugins: [swapInkOutput],
  // Bundled CommonJS (React, Yoga's loader) calls require().
  banner: {js: "import {createRequire as __brinkRequire} from 'node:module'; const require = __brinkRequire(import.meta.url);"},
});
