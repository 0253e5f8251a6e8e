/**
 * Accessibility, signed in: the pages only analysts see, the refused forms (the error summary
 * takes the focus and links to each field) and the import pages pass axe-core at both widths.
 * (The pages and checks are in test/helpers/accessibility.ts.)
 */
import { ANALYST_PAGES, describeAccessibility, importFiles, problemsOfPage, REFUSED_FORMS, WIDTHS } from '../helpers/accessibility';
import { clickAndLoad } from '../helpers/browser';

describeAccessibility('accessibility in Chromium, signed in: analyst pages and forms', (run) => {
  describe('signed in', () => {
    beforeAll(() => run.signIn());

    it.each(ANALYST_PAGES)('$path passes axe, fits the width and lets the keyboard reach what scrolls', async ({ path: p, status }) => {
      expect(await run.checkPage(p, status)).toEqual([]);
    });

    it.each(REFUSED_FORMS)(
      '$form submitted empty: the error summary has the focus, links to the fields, and the page passes axe',
      async ({ form, action, firstField }) => {
        const { page } = run;
        const out: string[] = [];
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(run.url(form));
          const status = await clickAndLoad(page, page.locator(`form[action="${action}"] button[type="submit"]`));
          expect(status).toBe(422);
          run.refusedUrls.add(page.url());
          expect(await page.evaluate('document.activeElement.id')).toBe('error-summary');
          // Every link of the summary names a field that is on the page.
          const targets = (await page.evaluate(
            `[...document.querySelectorAll('#error-summary a')].map((a) => { const el = document.getElementById(a.getAttribute('href').slice(1)); return el ? el.tagName.toLowerCase() : 'missing ' + a.getAttribute('href'); })`,
          )) as string[];
          expect(targets.length).toBeGreaterThan(0);
          for (const t of targets) expect(['input', 'select', 'textarea']).toContain(t);
          out.push(...(await problemsOfPage(page, `${width}px refused ${form}`)));
          await page.locator('#error-summary a').first().click();
          expect(await page.evaluate('document.activeElement.id')).toBe(firstField);
        }
        expect(out).toEqual([]);
      },
    );

    it('the import pages, a refused file and a preview, pass axe at both widths', async () => {
      const { page } = run;
      const files = importFiles(run.dir);
      const out: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const [name, file] of Object.entries(files)) {
          await page.goto(run.url('/imports'));
          await page.locator('input[type="file"][name="file"]').setInputFiles(file);
          const status = await clickAndLoad(page, page.locator('form[action="/imports"] button[type="submit"]'));
          expect({ name, status }).toEqual({ name, status: name === 'refused' ? 422 : 200 });
          if (status >= 400) run.refusedUrls.add(page.url());
          out.push(...(await problemsOfPage(page, `${width}px import ${name}`)));
        }
      }
      expect(out).toEqual([]);
    });
  });
});
