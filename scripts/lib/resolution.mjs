// The rule both resolvers (ESM hook, CJS wrapper) apply.
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = pathToFileURL(`${ROOT}src/`).href;
const DIST = pathToFileURL(`${ROOT}dist/`).href;

/** Throws when an example reaches the sources, or when `actioncenter` is not served from dist/. */
export function checkResolution(specifier, url, parent) {
  if (url.startsWith(SRC)) {
    throw new Error(`"${specifier}" (from ${parent}) resolved to ${url}: examples must use the built package in dist/`);
  }
  if (
    (specifier === 'actioncenter' || specifier.startsWith('actioncenter/')) &&
    specifier !== 'actioncenter/package.json' &&
    !url.startsWith(DIST)
  ) {
    throw new Error(
      `"${specifier}" resolved to ${url}, not to dist/: is the package built and the tsconfig without paths?`,
    );
  }
}
