/**
 * Reaching Redis: one check up front that fails fast, then connections that
 * ride out a short outage. ioredis, which BullMQ drives, retries a refused
 * connection for ever by default (BullMQ's retryStrategy: 1–20 s apart), so
 * a mistyped address or a server that is down would leave the command waiting
 * silently; the probe tries once, within CONNECT_TIMEOUT_MS, and says what
 * failed at which host:port – never the password.
 */
import { Queue, type RedisOptions } from 'bullmq';
import { UsageError } from '../usage-error.js';
import { redact, redisOptions, type RedisAddress } from './redis-url.js';

/** How long the first connection may take (a TCP connect and, for rediss://, the TLS handshake) before it counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Reconnect attempts after a lost connection before giving up (about a minute at the delays below). */
const MAX_RECONNECTS = 15;

/**
 * Connection options for the coordinator's Queue and QueueEvents: after a
 * lost connection, retry with a growing delay (0.5 s up to 5 s) for about a
 * minute, then give up – pending commands then fail and the run reports the
 * loss, instead of waiting for a server that is gone.
 */
export function coordinatorConnection(address: RedisAddress): RedisOptions {
  return {
    ...redisOptions(address),
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times: number) => (times > MAX_RECONNECTS ? null : Math.min(500 * times, 5000)),
  };
}

/** Connection options for a worker: it keeps reconnecting (BullMQ's default strategy), as a service does while Redis restarts. */
export function workerConnection(address: RedisAddress): RedisOptions {
  return { ...redisOptions(address), connectTimeout: CONNECT_TIMEOUT_MS };
}

/**
 * Connects once, without retries, and checks the server answers (BullMQ
 * reads its version as it connects: at least Redis 5 is required).
 * @throws UsageError naming host:port and the cause: refused, unknown host, timed out, authentication
 */
export async function probeRedis(address: RedisAddress, queueName: string): Promise<void> {
  const queue = new Queue(queueName, {
    connection: { ...redisOptions(address), connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: () => null, maxRetriesPerRequest: 0 },
  });
  let firstError: Error | undefined;
  // Without a listener, an 'error' event would end the process.
  queue.on('error', (e: Error) => (firstError ??= e));
  try {
    // Resolves once connected and BullMQ has read the server's version (INFO): it answers, and lets us in.
    await queue.waitUntilReady();
  } catch (e) {
    const cause = describeCause(firstError ?? (e as Error));
    throw new UsageError(`cannot reach Redis at ${address.display}: ${redact(cause, address)}`);
  } finally {
    await queue.close().catch(() => {});
  }
}

/** The driver's error in words: what the socket said, or Redis's own reply (WRONGPASS, NOAUTH …). */
function describeCause(e: Error & { code?: string }): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is redis-server running there, and listening on that interface?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
      return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  }
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(e.message))
    return `authentication failed (${e.message.trim()}); give the password in the URL (redis://user:password@host:port) or in the REDISCLI_AUTH environment variable`;
  return e.message;
}
