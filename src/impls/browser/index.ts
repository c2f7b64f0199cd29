/**
 * Implementations that run in a browser: Debian's Chromium, headless, driven through
 * playwright-core, its pages served from a loopback server (docs/design.md, "The browser"): the
 * zoo's WGSL kernels, then TensorFlow.js and ONNX Runtime Web. Constructing them starts nothing.
 */
import type { Implementation } from '../types.js';
import { browserLibraryImplementations } from './libraries.js';
import { browserWgslImplementations } from './wgsl.js';

/** Every built-in browser implementation, in a fixed order. */
export function browserImplementations(): Implementation[] {
  return [...browserWgslImplementations(), ...browserLibraryImplementations()];
}
