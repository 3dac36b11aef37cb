/**
 * `COPY` in and out for the PostgreSQL benchmark's floor (bench/postgres.ts): on a server through
 * pg-copy-streams (`COPY ... FROM STDIN`, the fastest way a client hands rows to PostgreSQL), on
 * PGlite through its `/dev/blob` device.
 *
 * @module
 */
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A server pool or PGlite in process. */
export type CopyClient = pg.Pool | PGlite;

/** What `COPY (query) TO STDOUT` writes, as bytes (the text format). */
export async function copyOut(client: CopyClient, query: string): Promise<Uint8Array> {
  if (client instanceof PGlite) {
    const r = await client.query(`COPY (${query}) TO '/dev/blob'`);
    if (r.blob === undefined) throw new Error('PGlite COPY TO gave no blob');
    return new Uint8Array(await r.blob.arrayBuffer());
  }
  const connection = await client.connect();
  try {
    const chunks: Buffer[] = [];
    const stream = connection.query(copyTo(`COPY (${query}) TO STDOUT`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    connection.release();
  }
}

/** `COPY table FROM STDIN` of bytes in the text format; resolves once PostgreSQL has taken them all. */
export async function copyIn(client: CopyClient, table: string, data: Uint8Array): Promise<void> {
  if (client instanceof PGlite) {
    await client.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    return;
  }
  const connection = await client.connect();
  try {
    // In chunks of 1 MiB, as a client streaming rows would send them.
    const chunks = function* () {
      for (let i = 0; i < data.length; i += 1 << 20) yield data.subarray(i, i + (1 << 20));
    };
    await pipeline(Readable.from(chunks()), connection.query(copyFrom(`COPY ${table} FROM STDIN`)));
  } finally {
    connection.release();
  }
}
