/**
 * Accessibility, anonymous: every page a reader sees passes axe-core at a phone's width and a
 * desktop's, fits the width and lets the keyboard reach what scrolls; a refused sign-in too.
 * The skip link and the focus ring are checked on their own. (The lists of pages and the
 * checks are in test/helpers/accessibility.ts; signed-in pages are in the other
 * accessibility-*.test.ts files.)
 */
import { ADMIN, channels, contrast, describeAccessibility, problemsOfPage, READER_PAGES, WIDTHS } from '../helpers/accessibility';
import { clickAndLoad } from '../helpers/browser';

describeAccessibility('accessibility in Chromium, anonymous', (run) => {
  describe('anonymous', () => {
    it.each(READER_PAGES)('$path passes axe, fits the width and lets the keyboard reach what scrolls', async ({ path: p, status }) => {
      expect(await run.checkPage(p, status)).toEqual([]);
    });

    it('a refused sign-in passes axe at both widths', async () => {
      const { page } = run;
      const out: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(run.url('/login'));
        await page.locator('#f-email').fill(ADMIN.email);
        await page.locator('#f-password').fill('not the pass phrase at all');
        const status = await clickAndLoad(page, page.locator('form[action^="/login"] button[type="submit"]'));
        expect(status).toBeGreaterThanOrEqual(400);
        run.refusedUrls.add(page.url());
        out.push(...(await problemsOfPage(page, `${width}px refused sign-in`)));
      }
      expect(out).toEqual([]);
    });

    it('the skip link is the first stop of the keyboard, shows when focused and moves the focus to the content', async () => {
      const { page } = run;
      await page.setViewportSize({ width: 390, height: 900 });
      await page.goto(run.url('/vendors/kaspersky-lab'));
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      const box = await page.locator('a.skip-link').boundingBox();
      expect(box && box.y >= 0 && box.height > 10).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
      // The next Tab goes to the first link of the content, not back to the navigation.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('!!document.activeElement.closest("main")')).toBe(true);
    });

    it('links and buttons show a focus ring of at least 3:1 against the page', async () => {
      const { page } = run;
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(run.url('/search'));
      const seen: Record<string, { width: number; ratio: number }> = {};
      // Tab through the page until a link and a button have had the keyboard's focus.
      for (let i = 0; i < 40 && !(seen.a && seen.button); i++) {
        await page.keyboard.press('Tab');
        const ring = (await page.evaluate(`(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          let bg = 'rgba(0, 0, 0, 0)';
          for (let n = el.parentElement; n; n = n.parentElement) {
            const c = getComputedStyle(n).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
          }
          if (bg === 'rgba(0, 0, 0, 0)') bg = getComputedStyle(document.documentElement).backgroundColor;
          return { tag: el.tagName.toLowerCase(), style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, bg };
        })()`)) as { tag: string; style: string; width: number; color: string; bg: string };
        if ((ring.tag === 'a' || ring.tag === 'button') && !seen[ring.tag]) {
          expect({ tag: ring.tag, style: ring.style }).toEqual({ tag: ring.tag, style: 'solid' });
          seen[ring.tag] = { width: ring.width, ratio: contrast(channels(ring.color), channels(ring.bg)) };
        }
      }
      expect(Object.keys(seen).sort()).toEqual(['a', 'button']);
      for (const [tag, ring] of Object.entries(seen)) {
        expect({ tag, wide: ring.width >= 2, contrasted: ring.ratio >= 3 }).toEqual({ tag, wide: true, contrasted: true });
      }
    });

    it('the check itself finds a violation put into a page, and names the element', async () => {
      const { page } = run;
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(run.url('/vendors'));
      await page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<button id="no-name-probe"></button>')`);
      const found = await problemsOfPage(page, 'probe');
      expect(found).toEqual([expect.stringMatching(/^probe: axe button-name \(critical\) .* at #no-name-probe$/)]);
    });
  });
});
