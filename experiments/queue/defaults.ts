/** The queue's defaults, in a module without BullMQ: the CLI reads them for its help text without loading the driver (about 0.2 s). */

/** The queue's name when --queue-name is not given (BullMQ's keys: bull:coordgap:*). */
export const DEFAULT_QUEUE_NAME = 'coordgap';

/** BullMQ's default lock duration and stalled-check interval (WorkerOptions.lockDuration, stalledInterval: 30000). */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
