// logitfuzz loads the libraries under test through this module (src/impls/thirdparty/load.ts),
// so that Node resolves their bare names exactly as `import()` does, from this folder's
// node_modules: the versions pinned in this folder's package.json and lockfile.
export default (specifier) => import(specifier);
