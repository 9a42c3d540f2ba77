/**
 * A real Redis for the queue's tests (no mock): Debian's redis-server on a
 * free loopback port with a temporary directory, no persistence, stopped and
 * its directory removed after. A machine without redis-server fails the test
 * and says how to get it – skipping would let the queue go untested.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now: the kernel's pick for port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function redisServerPath(): string {
  if (existsSync(REDIS_SERVER)) return REDIS_SERVER;
  const which = spawnSync('which', ['redis-server'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found !== '') return found;
  throw new Error(`redis-server is not installed (looked for ${REDIS_SERVER} and on PATH): the queue tests need a real Redis – .ci/run installs it (Debian's redis-server package)`);
}

/** One PING over a raw socket: true when the server answers (+PONG, or an error such as -NOAUTH when it wants a password). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+') || reply.startsWith('-'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts redis-server on a free loopback port; `extraArgs` add config (e.g. --requirepass). Waits until it answers PING. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const bin = redisServerPath();
  const dir = mkdtempSync(join(tmpdir(), 'coordgap-redis-'));
  // A port picked free can be taken before redis binds it; try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    let stderr = '';
    child.stdout?.on('data', (d) => (stderr += d.toString()));
    child.stderr?.on('data', (d) => (stderr += d.toString()));
    // Up to 30 s: a busy 2-core machine can be slow to start a process.
    for (let i = 0; i < 300 && !exited; i++) {
      if (await ping(port)) {
        return {
          port,
          url: `redis://127.0.0.1:${port}`,
          async stop() {
            if (!exited) {
              const gone = new Promise((resolve) => child.once('exit', resolve));
              child.kill('SIGTERM');
              await gone;
            }
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await sleep(100);
    }
    if (!exited) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within 30 s: ${stderr}`);
    }
    // Exited: a port taken meanwhile is retried; anything else (a bad option) is reported.
    if (!/Address already in use/.test(stderr)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server exited: ${stderr.split('\n').filter((l) => / # /.test(l)).join('\n') || stderr}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('redis-server did not start on a free port in 5 tries');
}
