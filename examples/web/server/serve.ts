/**
 * Starts the reference web Action center on a port: an in-memory repository, the demo data (or
 * none), a background tick that executes approved actions, and the app from app.ts.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ActionCenter, ActionRepository } from 'actioncenter';
import { createWebApp } from './app.js';
import { createDemoCenter } from './demo-center.js';

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  /** The port; 0 (the default) takes any free one. */
  readonly port?: number;
  /** The address to listen on. Default 127.0.0.1: the demo login lets anyone in, so not on the network. */
  readonly host?: string;
  /** `demo` (the default): about 300 generated actions; `empty`: none. */
  readonly data?: 'demo' | 'empty';
  /** The demo data's seed. Default 17. */
  readonly seed?: number;
  /** The background run's period in ms. Default 1000. */
  readonly tickMs?: number;
}

/** A running server. */
export interface WebServer {
  readonly url: string;
  readonly center: ActionCenter;
  readonly repository: ActionRepository;
  /** Stops the tick and the server (open streams are ended). */
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const { center, repository } = await createDemoCenter({
    data: options.data ?? 'demo',
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  const app = createWebApp({ center, repository });

  // The background run: executes what was approved (one at a time: a tick waits for the last).
  let running: Promise<unknown> = Promise.resolve();
  const tick = setInterval(() => {
    running = running.then(() => center.run()).catch(() => undefined);
  }, options.tickMs ?? 1000);
  tick.unref();

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    center,
    repository,
    close: async () => {
      clearInterval(tick);
      await running;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // SSE streams never end by themselves: end their connections so close() returns.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
