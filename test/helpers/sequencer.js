// The order jest starts test files in. Jest runs the files that took longest last time first,
// so a long file does not start late and keep the run going after the others are done. With no
// timings yet (a fresh clone, as on CI) it falls back on file size, and some of the longest
// files are short ones that wait on browsers, child processes or timeouts: the browser tests
// started after a minute, and the three-process start-up test near the end. So when jest has no
// timings at all, the files below go first, longest first (rough seconds on two busy cores).
// (Not by giving them a time: jest runs a file without timings before one with.)
const Sequencer = require('@jest/test-sequencer').default;

const ROUGH_SECONDS = {
  'browser/accessibility-reader.test.ts': 40,
  'browser/accessibility-analyst.test.ts': 35,
  'browser/accessibility-signed-in.test.ts': 30,
  'db/prepare.test.ts': 25,
  'http/hostile-requests.test.ts': 25,
  'http/concurrent-writes.test.ts': 18,
  'http/security.test.ts': 18,
  'browser/analyst-flow.test.ts': 15,
  'http/password-load.test.ts': 15,
  'http/shutdown.test.ts': 15,
  'http/account-history.test.ts': 12,
  'browser/import-flow.test.ts': 12,
  'http/import-writes.test.ts': 12,
  'http/in-force.test.ts': 12,
  'browser/pictures.test.ts': 10,
  'http/faults.test.ts': 10,
};

const roughSeconds = (test) => {
  const key = Object.keys(ROUGH_SECONDS).find((k) => test.path.endsWith(`/test/${k}`));
  return key ? ROUGH_SECONDS[key] : -1;
};

class SlowFilesFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    // Jest has timings from an earlier run: its order stands.
    if (ordered.some((test) => this.time(test) != null)) return ordered;
    // None yet: the files known to be long first, longest first; the rest in jest's order (by size).
    return [...ordered].sort((a, b) => roughSeconds(b) - roughSeconds(a));
  }
}

module.exports = SlowFilesFirst;
