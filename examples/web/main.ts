// `npm run demo:web`: the reference web Action center on the in-memory repository with generated
// demo data (DEMO ONLY: anyone who reaches it can sign in as any persona; it listens on 127.0.0.1).
import { startWebServer } from './server/serve.js';

const port = Number(process.env.PORT ?? 8787);
const server = await startWebServer({ port, data: 'demo' });
console.log(`actioncenter web demo: http://127.0.0.1:${port === 0 ? new URL(server.url).port : port}/`);
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
