// Module resolution hook: `electron` (and only it) resolves to the stand-in next to this file.
const STANDIN = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: STANDIN, shortCircuit: true };
  return next(specifier, context);
}
