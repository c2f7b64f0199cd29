import type { Implementation } from '../types.js';

/**
 * Loads a module by specifier, as `import(specifier)` does. The adapters take one as a parameter
 * so that tests can simulate a missing library; the default is the real dynamic import.
 */
export type Importer = (specifier: string) => Promise<unknown>;

/** The real dynamic `import()`: the only place the third-party libraries are loaded from. */
export const defaultImporter: Importer = (specifier) => import(specifier);

/**
 * A third-party library under test. `library` records, for provenance, the package(s) and the
 * version(s) read from their package.json, e.g. '@tensorflow/tfjs-core@4.22.0 +
 * @tensorflow/tfjs-backend-cpu@4.22.0', or 'onnxruntime-node (not installed)'.
 */
export interface ThirdPartyImplementation extends Implementation {
  readonly library: string;
}
