/**
 * Loaded before every test file (jest `setupFiles`). A promise rejected with nobody
 * listening would kill the server in production; in a test it must be loud, so it is
 * printed and the file fails (jest reports an error thrown from this handler).
 */
process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `unhandled promise rejection in a test: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
  );
  throw reason instanceof Error ? reason : new Error(String(reason));
});
