/**
 * Accessibility, signed in: every page a reader sees, as an admin sees it (with the analyst's
 * links and forms), passes axe-core at both widths, fits the width and lets the keyboard reach
 * what scrolls. (The pages and checks are in test/helpers/accessibility.ts.)
 */
import { describeAccessibility, READER_PAGES } from '../helpers/accessibility';

describeAccessibility('accessibility in Chromium, signed in: reader pages', (run) => {
  describe('signed in', () => {
    beforeAll(() => run.signIn());

    it.each(READER_PAGES)('$path passes axe, fits the width and lets the keyboard reach what scrolls', async ({ path: p, status }) => {
      expect(await run.checkPage(p, status)).toEqual([]);
    });
  });
});
