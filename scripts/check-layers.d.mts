// Types of scripts/check-layers.mjs, for test/api/layers.test.ts (the script itself is plain JS).

/** A layer of src/, lowest first; `entry` stands above them all. */
export type Layer = 'base' | 'catalog' | 'rules' | 'center' | 'adapters' | 'testing' | 'entry';

/** Where a file stands: its layer, and a group that tells adapters apart. */
export interface Placement {
  readonly layer: Layer;
  readonly group: string;
}

/** Classifies a project-relative, `/`-separated path. */
export type Classify = (file: string) => Placement | null;

export declare const LAYERS: readonly Layer[];
export declare function layerOf(file: string): Placement | null;
export declare function edgeViolation(from: string, to: string, classify?: Classify): string | null;
export declare function findCycles(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
): { readonly members: string[]; readonly path: string[] }[];
export declare function subpathViolation(
  from: string,
  to: string,
  subpaths?: readonly string[],
  classify?: Classify,
): string | null;
export declare function subpathDirectories(root?: string): string[];
export declare function checkGraph(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  classify?: Classify,
  subpaths?: readonly string[],
): {
  readonly violations: { readonly from: string; readonly to: string; readonly reason: string }[];
  readonly unlayered: string[];
  readonly cycles: { readonly members: string[]; readonly path: string[] }[];
};
export declare function specifiersOf(fileName: string, text: string): string[];
export declare function importGraph(root?: string): {
  readonly graph: Map<string, Set<string>>;
  readonly unresolved: { readonly from: string; readonly specifier: string }[];
};
export declare function runCheck(root?: string): {
  readonly ok: boolean;
  readonly lines: string[];
  readonly files: number;
};
