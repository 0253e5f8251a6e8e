/**
 * Imported first by the server entry point, before anything can use libuv's thread pool.
 * The pool (4 threads by default) runs both scrypt and the sqlite3 driver's queries;
 * password hashes at their bound (HASH_CONCURRENCY) must leave threads for the database.
 * libuv reads UV_THREADPOOL_SIZE once, when the pool is first used, so it is set here.
 */
const DATABASE_THREADS = 4;

if (!process.env.UV_THREADPOOL_SIZE) {
  const hashes = Number.parseInt(process.env.HASH_CONCURRENCY ?? '', 10);
  const bound = Number.isSafeInteger(hashes) && hashes > 0 ? Math.min(hashes, 16) : 2;
  process.env.UV_THREADPOOL_SIZE = String(bound + DATABASE_THREADS);
}

export {};
