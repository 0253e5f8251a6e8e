import { Router } from 'express';
import type { AppContext } from '../http/context';
import { AppError, BadParameter, singleParam } from '../lib/errors';
import { asText, FormInvalid, parseForm } from '../lib/input';
import { editorOf, requireRole } from './middleware';
import { NewUserInput, ROLES, roleField } from './schema';
import { accountHistoryPage, changeUserRole, createUser, listAllUsers, setUserDisabled } from './service';

export function userAdminRoutes({ db }: AppContext): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'));

  const renderPage = async (
    res: Parameters<Parameters<Router['get']>[1]>[1],
    extra: { values?: Record<string, string>; errors?: Record<string, string> } = {},
  ) => {
    res.render('users/index', {
      title: 'Users',
      users: await listAllUsers(db),
      roles: ROLES,
      values: extra.values ?? { role: 'analyst' },
      errors: extra.errors ?? {},
    });
  };

  router.get('/admin/users', async (_req, res) => renderPage(res));

  // Who created, promoted, demoted, disabled or re-enabled which account, and when.
  router.get('/admin/users/history', async (req, res) => {
    const before = singleParam(req.query, 'before');
    if (before && !/^[1-9]\d{0,14}$/.test(before)) throw new BadParameter('before', 'use the link at the foot of the page');
    const page = await accountHistoryPage(db, before ? Number(before) : undefined);
    res.render('users/history', { title: 'Account history', changes: page.changes, next: page.next });
  });

  router.post('/admin/users', async (req, res) => {
    try {
      const user = await createUser(db, parseForm(NewUserInput, req.body), editorOf(req));
      req.session.flash = `Account created for ${user.email}.`;
      res.redirect(303, '/admin/users');
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      res.status(422);
      await renderPage(res, {
        values: { email: asText(req.body.email), display_name: asText(req.body.display_name), role: asText(req.body.role) },
        errors: err.fieldErrors,
      });
    }
  });

  router.post('/admin/users/:id/role', async (req, res) => {
    const role = roleField.safeParse(asText(req.body.role));
    if (!role.success) throw new AppError(400, 'bad_role', 'Choose analyst or admin.');
    await changeUserRole(db, Number(req.params.id), role.data, editorOf(req));
    req.session.flash = 'Role changed.';
    res.redirect(303, '/admin/users');
  });

  router.post('/admin/users/:id/disabled', async (req, res) => {
    const disabled = asText(req.body.disabled) === 'true';
    await setUserDisabled(db, Number(req.params.id), disabled, editorOf(req));
    req.session.flash = disabled ? 'Account disabled; its sessions end at their next request.' : 'Account enabled.';
    res.redirect(303, '/admin/users');
  });

  return router;
}
