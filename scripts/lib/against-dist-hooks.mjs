// ES module resolve hook for against-dist.mjs (runs on Node's loader thread).
import { checkResolution } from './resolution.mjs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  checkResolution(specifier, result.url, context.parentURL ?? '(entry)');
  return result;
}
