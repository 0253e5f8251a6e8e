import { Router } from 'express';
import type { AppContext } from '../http/context';
import { AppError } from '../http/errors';
import { asText, FormInvalid } from '../http/forms';
import { requireRole } from '../http/security';
import { ROLES } from './repo';
import { roleField } from './schema';
import { changeUserRole, createUser, listAllUsers, setUserDisabled } from './service';

export function userAdminRoutes({ db }: AppContext): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'));

  const renderPage = async (res: Parameters<Parameters<Router['get']>[1]>[1], extra: { values?: Record<string, string>; errors?: Record<string, string> } = {}) => {
    res.render('users/index', { title: 'Users', users: await listAllUsers(db), roles: ROLES, values: extra.values ?? { role: 'analyst' }, errors: extra.errors ?? {} });
  };

  router.get('/admin/users', async (_req, res) => renderPage(res));

  router.post('/admin/users', async (req, res) => {
    try {
      const user = await createUser(db, req.body);
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
    await changeUserRole(db, Number(req.params.id), role.data);
    req.session.flash = 'Role changed.';
    res.redirect(303, '/admin/users');
  });

  router.post('/admin/users/:id/disabled', async (req, res) => {
    const disabled = asText(req.body.disabled) === 'true';
    await setUserDisabled(db, Number(req.params.id), disabled);
    req.session.flash = disabled ? 'Account disabled; its sessions end at their next request.' : 'Account enabled.';
    res.redirect(303, '/admin/users');
  });

  return router;
}
