// Types of scripts/check-size.mjs, for test/api/size.test.ts (the script itself is plain JS).

/** A consumer: what it imports from 'actioncenter', and the most its minified bundle may weigh. */
export interface Consumer {
  readonly name: string;
  readonly imports: readonly string[];
  readonly limit: number;
  readonly kind: 'target' | 'ceiling';
}

/** One row of the table. */
export interface Measurement extends Consumer {
  readonly bytes: number;
  readonly gzip: number;
  readonly largest: readonly { readonly path: string; readonly bytes: number }[];
  readonly zodVia: readonly string[];
  readonly zodNamed: readonly string[];
}

export declare const CONSUMERS: readonly Consumer[];
export declare function measureAll(packageRoot?: string, consumers?: readonly Consumer[]): Promise<Measurement[]>;
