/**
 * `npm run dev`: the API server (tsx, port 3000 unless PORT says otherwise) and the Vite dev
 * server of the web app (http://localhost:5173, proxying /api and /ws to the API) together.
 * Ctrl+C stops both.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const port = process.env.PORT ?? '3000';
const children = [
  spawn('npm', ['run', 'dev:server'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PORT: port } }),
  spawn('npm', ['run', 'dev', '-w', 'admin-ui'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SWITCHBOARD_API_URL: `http://127.0.0.1:${port}` },
  }),
];
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exitCode = code;
}
for (const c of children) c.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
