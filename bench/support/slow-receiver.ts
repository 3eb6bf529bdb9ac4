import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * An HTTP receiver in a process of its own (so it takes no time from the dispatcher's event loop)
 * that answers every request like a WeCom robot after `delayMs`, and counts them.
 */
export async function startSlowReceiver(
  delayMs: number,
): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  const script = `
    const http = require('node:http');
    let count = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => {
        count++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"errcode":0,"errmsg":"ok"}');
      }, ${delayMs}));
    });
    server.keepAliveTimeout = 30000;
    server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
    setInterval(() => console.log('count ' + count), 100);
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let count = 0;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the receiver exited')));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [key, value] = line.split(' ');
      if (key === 'port') resolve(Number(value));
      if (key === 'count') count = Number(value);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    async close() {
      child.kill('SIGTERM');
    },
  };
}
