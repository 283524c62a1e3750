// A plain node:http server in a worker thread of the test process: the test's own event loop then does not
// pace the target, as it does the servers that share it (a flood of requests finds a target as fast as a real one).
import {Worker} from 'node:worker_threads';

export interface ThreadServer {
  readonly url: string;
  /** Requests the server answered so far. */
  count(): number;
  close(): Promise<void>;
}

export async function startThreadServer(): Promise<ThreadServer> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
const http = require('node:http');
const {parentPort, workerData} = require('node:worker_threads');
const server = http.createServer((req, res) => { Atomics.add(workerData, 0, 1); res.end('ok'); });
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`,
    {eval: true, workerData: counter},
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => Atomics.load(counter, 0),
    close: async () => {
      await worker.terminate();
    },
  };
}
