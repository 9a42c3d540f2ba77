/** --queue's URL: the forms redis-cli accepts, REDISCLI_AUTH, TLS, and no password in any message. */
import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redact, redisOptions } from './redis-url.js';
import { UsageError } from '../usage-error.js';

describe('parseRedisUrl', () => {
  it('host and port, database, credentials', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380', {})).toEqual({ host: '127.0.0.1', port: 6380, db: 0, tls: false, display: 'redis://127.0.0.1:6380' });
    expect(parseRedisUrl('redis://queue.internal/3', {})).toEqual({ host: 'queue.internal', port: 6379, db: 3, tls: false, display: 'redis://queue.internal:6379/3' });
    expect(parseRedisUrl('redis://coordgap:p%40ss%3Aw@10.0.0.5:6379/0', {})).toEqual({
      host: '10.0.0.5', port: 6379, db: 0, tls: false, username: 'coordgap', password: 'p@ss:w', display: 'redis://10.0.0.5:6379',
    });
    expect(parseRedisUrl('redis://:secret@[::1]:7000', {})).toMatchObject({ host: '::1', port: 7000, password: 'secret', display: 'redis://[::1]:7000' });
  });

  it('rediss:// is TLS, checked against the host name (not for an IP address)', () => {
    const byName = parseRedisUrl('rediss://redis.example.com:6380', {});
    expect(byName.display).toBe('rediss://redis.example.com:6380');
    expect(redisOptions(byName)).toEqual({ host: 'redis.example.com', port: 6380, db: 0, tls: { servername: 'redis.example.com' }, maxRetriesPerRequest: null });
    expect(redisOptions(parseRedisUrl('rediss://10.1.2.3:6380', {})).tls).toEqual({});
    expect(redisOptions(parseRedisUrl('redis://10.1.2.3:6380', {})).tls).toBeUndefined();
  });

  it('the password comes from REDISCLI_AUTH when the URL has none; the URL\'s wins', () => {
    expect(parseRedisUrl('redis://h:1', { REDISCLI_AUTH: 'fromenv' }).password).toBe('fromenv');
    expect(parseRedisUrl('redis://user@h:1', { REDISCLI_AUTH: 'fromenv' })).toMatchObject({ username: 'user', password: 'fromenv' });
    expect(parseRedisUrl('redis://:inurl@h:1', { REDISCLI_AUTH: 'fromenv' }).password).toBe('inurl');
    expect(parseRedisUrl('redis://h:1', { REDISCLI_AUTH: '' }).password).toBeUndefined();
  });

  it('a bad URL is a usage error saying what is valid, without the password', () => {
    const cases: [string, RegExp][] = [
      ['localhost:6379', /the scheme must be redis:\/\/ or rediss:\/\/ \(TLS\), not localhost:\/\//],
      ['http://:hunter2@h:6379', /the scheme must be redis:\/\/ or rediss:\/\/ \(TLS\), not http:\/\//],
      ['redis://:hunter2@h:99999', /is not a URL/],
      ['redis://:hunter2@h:0', /port must be 1 to 65535/],
      ['redis://:hunter2@h:6379/queue', /only a database number may follow \(\/0, \/1 …\), not "\/queue"/],
      ['redis://:hunter2@h:6379?tls=true', /query parameters and fragments are not read/],
      ['redis://:hunter2@', /names no host|is not a URL/],
    ];
    for (const [url, message] of cases) {
      let error: unknown;
      try {
        parseRedisUrl(url, {});
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(UsageError);
      expect((error as Error).message, url).toMatch(message);
      expect((error as Error).message, url).toMatch(/expected a Redis URL such as redis:\/\/127\.0\.0\.1:6379|give only a Redis URL such as/);
      expect((error as Error).message, url).not.toContain('hunter2');
    }
  });
});

describe('redact', () => {
  it('takes the password out of any text, as typed and URL-encoded', () => {
    expect(redact('AUTH p@ss failed for redis://:p%40ss@h', { password: 'p@ss' })).toBe('AUTH *** failed for redis://:***@h');
    expect(redact('nothing to hide', {})).toBe('nothing to hide');
  });
});
