import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import multer from 'multer';
import type { AppContext } from '../http/context';
import { editorOf } from '../http/editor';
import { AppError } from '../http/errors';
import { asText } from '../http/forms';
import { checkCsrfToken, requireRole } from '../http/security';
import { EVENT_CSV_COLUMNS } from '../events/csv';
import { formatSize } from '../lib/size';
import { ImportFileError } from './parse';
import { confirmImport, dryRunImport } from './service';

export function importRoutes({ db, config }: AppContext): Router {
  const router = Router();
  const analyst = requireRole('analyst');
  const maxBytes = config.importMaxBytes;
  const maxSize = formatSize(maxBytes);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 8 } }).single('file');

  // multer's own errors (file too large, too many parts) as pages a person can act on.
  const uploadErrors: ErrorRequestHandler = (err, _req, _res, next) => {
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') return next(new ImportFileError('file_too_large', `The file is larger than ${maxSize}, the import limit.`, 413));
      return next(new AppError(413, 'upload_refused', 'The upload has more parts than an import form sends.'));
    }
    next(err);
  };

  const page = { title: 'Import events', columns: EVENT_CSV_COLUMNS, maxSize };

  router.get('/imports', analyst, (_req, res) => {
    res.render('imports/index', { ...page, error: null });
  });

  router.post('/imports', analyst, upload, uploadErrors, checkCsrfToken, async (req: Request, res: Response) => {
    if (!req.file) {
      res.status(422).render('imports/index', { ...page, error: 'Choose a CSV file to import.' });
      return;
    }
    try {
      const dryRun = await dryRunImport(db, editorOf(req).id as number, { name: req.file.originalname, content: req.file.buffer }, maxBytes);
      res.status(dryRun.plan.invalid.length ? 422 : 200).render('imports/preview', { ...page, ...dryRun });
    } catch (err) {
      if (!(err instanceof ImportFileError)) throw err;
      res.status(err.status).render('imports/index', { ...page, error: err.message });
    }
  });

  router.post('/imports/:token/confirm', analyst, async (req, res) => {
    const by = editorOf(req);
    const summary = await confirmImport(db, { ...by, id: by.id as number }, asText(req.params.token), maxBytes);
    req.session.flash = `Imported ${summary.filename}: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged.`;
    res.redirect(303, '/imports');
  });

  return router;
}
