/** The job queue (BullMQ on Redis): the coordinator's runner and the worker's service. */
export { openTaskQueue, RECONCILE_MS, type TaskQueue, type TaskQueueOptions, type JobTiming } from './task-queue.js';
export { serveTaskQueue, MAX_STALLS, type ServeOptions, type TaskQueueWorker, type JobEvent } from './serve-queue.js';
export { QUEUE_PROTOCOL } from './job-protocol.js';
export { DEFAULT_QUEUE_NAME, DEFAULT_STALL_TIMEOUT_MS } from './defaults.js';
export { parseRedisUrl, redact, PASSWORD_ENV, type RedisAddress } from './redis-url.js';
