import { Router } from 'express';
import type { AppContext } from '../http/context';
import { AppError } from '../lib/errors';
import { asText, FormInvalid } from '../lib/input';
import { safeNextPath } from '../http/security';
import { endUserSession, startUserSession } from './middleware';
import { SESSION_COOKIE } from '../http/session';
import { createPasswordHasher } from './password';
import { createFirstAdmin, setupRefusal, signIn, SignInRefused } from './signIn';

export function authRoutes({ db, config }: AppContext): Router {
  const router = Router();
  // One bounded set of hashers per app: sign-in and first-admin setup share it.
  const hasher = createPasswordHasher(config.passwordHashing);

  router.get('/login', (req, res) => {
    const next = safeNextPath(req.query.next);
    if (req.user) return res.redirect(303, next);
    res.render('auth/login', { title: 'Sign in', values: { email: '', next }, error: null });
  });

  router.post('/login', async (req, res) => {
    const email = asText(req.body.email);
    const next = safeNextPath(req.body.next);
    try {
      const user = await signIn(db, hasher, { email, password: asText(req.body.password), ip: req.ip ?? 'unknown' });
      await startUserSession(req, user);
      res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof SignInRefused) && !(err instanceof AppError && err.status === 429)) throw err;
      const appErr = err as AppError;
      for (const [name, value] of Object.entries((appErr.details.headers as Record<string, string>) ?? {})) res.setHeader(name, value);
      res.status(appErr.status).render('auth/login', { title: 'Sign in', values: { email, next }, error: appErr.message });
    }
  });

  router.post('/logout', async (req, res) => {
    await endUserSession(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/');
  });

  router.get('/setup', async (req, res) => {
    const token = asText(req.query.token);
    const refusal = await setupRefusal(db, token);
    if (refusal) throw new AppError(404, refusal.code, refusal.message);
    res.render('auth/setup', { title: 'Create the first admin', token, values: {}, errors: {} });
  });

  router.post('/setup', async (req, res) => {
    const token = asText(req.body.token);
    try {
      const user = await createFirstAdmin(db, hasher, token, req.body);
      await startUserSession(req, user);
      req.session.flash = `Welcome, ${user.displayName}. Your admin account is ready.`;
      res.redirect(303, '/admin/users');
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      res.status(422).render('auth/setup', {
        title: 'Create the first admin',
        token,
        values: { email: asText(req.body.email), display_name: asText(req.body.display_name) },
        errors: err.fieldErrors,
      });
    }
  });

  return router;
}
