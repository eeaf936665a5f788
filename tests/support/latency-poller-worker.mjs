// A second person using the application while a test does something heavy: requests one after another, each timed
// from send to last byte. It runs in its own worker thread so that the test's own work (building a large upload,
// encoding it) never delays a request or its timing: what it measures is the server.
import { parentPort, workerData } from 'node:worker_threads';

const { baseUrl, cookie, paths } = workerData;
const answers = [];
let running = true;

parentPort.on('message', (message) => {
  if (message === 'stop') running = false;
});

async function poll() {
  for (let i = 0; running; i++) {
    const path = paths[i % paths.length];
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = -1;
    }
    answers.push({ path, status, ms: performance.now() - started });
    // Let the 'stop' message in between requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  parentPort.postMessage(answers);
}

void poll();
