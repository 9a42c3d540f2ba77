/**
 * The Redis address of `--queue`: `redis://[user:password@]host[:port][/db]`,
 * or `rediss://…` for TLS – the URL scheme IANA registers for Redis and
 * redis-cli reads (`redis-cli -u`). A password may also come from the
 * environment variable REDISCLI_AUTH, redis-cli's own, when the URL has none:
 * a URL on the command line shows in every process list (`ps`), an
 * environment variable does not.
 *
 * Nothing here prints a password: every message names the server by `display`
 * (scheme, host, port and database, no credentials), and `redact` takes a
 * password out of any text that came back from the driver.
 */
import { isIP } from 'node:net';
import type { RedisOptions } from 'bullmq';
import { UsageError } from '../usage-error.js';

/** Redis's own default port (redis.conf `port 6379`). */
export const DEFAULT_REDIS_PORT = 6379;

/** The environment variable redis-cli reads a password from (redis-cli --help: "REDISCLI_AUTH"). */
export const PASSWORD_ENV = 'REDISCLI_AUTH';

export interface RedisAddress {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** The address for messages: `redis://host:port` (with `/db` when not 0), never credentials. */
  display: string;
}

const VALID = 'a Redis URL such as redis://127.0.0.1:6379, redis://user:password@host:6379/0 or rediss://host:6380 (TLS)';

/**
 * Parses `--queue`'s URL.
 * @param env where REDISCLI_AUTH is read (default: process.env)
 * @throws UsageError saying what a valid URL looks like; the message never holds the password
 */
export function parseRedisUrl(text: string, env: NodeJS.ProcessEnv = process.env): RedisAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--queue "${redactUrlText(text)}" is not a URL; expected ${VALID}`);
  }
  const shown = redactUrlText(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new UsageError(`--queue "${shown}": the scheme must be redis:// or rediss:// (TLS), not ${url.protocol}//; expected ${VALID}`);
  // IPv6 literals keep their brackets in URL.hostname; the socket wants them off.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') throw new UsageError(`--queue "${shown}" names no host; expected ${VALID}`);
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  if (port < 1) throw new UsageError(`--queue "${shown}": port must be 1 to 65535; expected ${VALID}`);
  const path = url.pathname;
  if (path !== '' && path !== '/' && !/^\/\d{1,5}$/.test(path))
    throw new UsageError(`--queue "${shown}": after the port only a database number may follow (/0, /1 …), not "${path}"; expected ${VALID}`);
  const db = path.length > 1 ? Number(path.slice(1)) : 0;
  if (url.search !== '' || url.hash !== '')
    throw new UsageError(`--queue "${shown}": query parameters and fragments are not read; give only ${VALID}`);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const fromUrl = url.password === '' ? undefined : decodeURIComponent(url.password);
  const fromEnv = env[PASSWORD_ENV];
  const password = fromUrl ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  const tls = url.protocol === 'rediss:';
  const hostShown = isIP(host) === 6 ? `[${host}]` : host;
  return {
    host,
    port,
    db,
    tls,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    display: `${url.protocol}//${hostShown}:${port}${db !== 0 ? `/${db}` : ''}`,
  };
}

/**
 * ioredis's options for the address. `maxRetriesPerRequest: null` is what
 * BullMQ requires of a Worker's connection (a blocking command must wait
 * through a reconnect, not fail after 20 retries); TLS checks the server's
 * certificate against the system's CAs (add one with NODE_EXTRA_CA_CERTS),
 * by host name unless the host is an IP address.
 */
export function redisOptions(address: RedisAddress): RedisOptions {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username !== undefined ? { username: address.username } : {}),
    ...(address.password !== undefined ? { password: address.password } : {}),
    ...(address.tls ? { tls: isIP(address.host) === 0 ? { servername: address.host } : {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** `text` with the address's password (if any) replaced by "***": for messages that came from the driver. */
export function redact(text: string, address: Pick<RedisAddress, 'password'>): string {
  const secret = address.password;
  if (secret === undefined || secret === '') return text;
  return text.split(secret).join('***').split(encodeURIComponent(secret)).join('***');
}

/** A URL as typed, its password (the part between `user:` and `@`) replaced by "***" – for URLs that fail to parse. */
function redactUrlText(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^@]*@/i, '$1***@');
}
