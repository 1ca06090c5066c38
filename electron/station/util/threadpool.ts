/**
 * A test dial's headset holds two of libuv's threads for as long as it is open (naudiodon reads and
 * writes block in the pool), and DNS lookups and file work share that pool. Imported first by the entry
 * points, before anything uses the pool, so it takes effect.
 */
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '8';

export {};
