import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { AppContext } from '../http/context';
import { AppError } from '../lib/errors';
import { asText } from '../lib/input';
import { refuseBody } from '../http/bodyTypes';
import { refuseNulCharacters } from '../http/nulGuard';
import { editorOf, requireRole } from '../accounts/middleware';
import type { Config } from '../lib/config';
import { EVENT_CSV_COLUMNS } from '../events/csv';
import { formatSize } from '../lib/size';
import { ImportFileError } from './parse';
import { confirmImport, dryRunImport } from './service';

// RFC 2046: a boundary of 1 to 70 characters, quoted or not.
const MULTIPART_BOUNDARY = /;\s*boundary=(?:"[^"]{1,70}"|[^\s;"]{1,70})\s*(?:;|$)/i;

/** The multipart field names an import form sends. */
const UPLOAD_FIELDS = { file: 'file' } as const;

/**
 * Reads the import upload (a CSV file and the CSRF token). Runs before the CSRF check
 * (see `acceptedBodies`); every way the upload can be wrong is the client's: a 413 past
 * the limits, a 400 for a body that is not readable multipart (no or wrong boundary, cut
 * short, compressed), logged as a warning.
 */
export function importUpload(config: Pick<Config, 'importMaxBytes'>): RequestHandler {
  const maxSize = formatSize(config.importMaxBytes);
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.importMaxBytes, files: 1, fields: 5, parts: 8, fieldNameSize: 100, fieldSize: 64 * 1024 },
  }).single(UPLOAD_FIELDS.file);
  const explain = (err: unknown): AppError => {
    if (err instanceof multer.MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return new ImportFileError('file_too_large', `The file is larger than ${maxSize}, the import limit.`, 413);
        case 'LIMIT_UNEXPECTED_FILE':
          return new AppError(400, 'upload_refused', `The upload carries a file in a field other than “${UPLOAD_FIELDS.file}”.`);
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FILE_COUNT':
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
        case 'LIMIT_FIELD_VALUE':
          return new AppError(413, 'upload_refused', 'The upload has more or larger parts than an import form sends.');
        default:
          return new AppError(400, 'upload_unreadable', 'The upload has a field name the import form does not send.');
      }
    }
    const reason = err instanceof Error ? err.message : String(err);
    return new AppError(
      400,
      'upload_unreadable',
      `The upload could not be read as multipart/form-data (${reason}). Send the file from the import form.`,
    );
  };
  return (req, res, next) => {
    if (!MULTIPART_BOUNDARY.test(req.get('content-type') ?? '')) {
      return next(
        refuseBody(
          req,
          new AppError(
            400,
            'upload_unreadable',
            'The upload could not be read as multipart/form-data (its Content-Type names no boundary). Send the file from the import form.',
          ),
        ),
      );
    }
    upload(req, res, (err?: unknown) => {
      if (err) return next(refuseBody(req, explain(err)));
      if (req.file?.originalname.includes('\u0000'))
        return next(refuseBody(req, new AppError(400, 'nul_character', 'The file name contains a NUL character.')));
      refuseNulCharacters(req, res, next);
    });
  };
}

export function importRoutes({ db, config }: AppContext): Router {
  const router = Router();
  const analyst = requireRole('analyst');
  const maxBytes = config.importMaxBytes;
  const maxSize = formatSize(maxBytes);

  const page = { title: 'Import events', columns: EVENT_CSV_COLUMNS, maxSize };

  router.get('/imports', analyst, (_req, res) => {
    res.render('imports/index', { ...page, error: null });
  });

  // The upload itself is read (and its CSRF token checked) before routing: see `importUpload`.
  router.post('/imports', analyst, async (req: Request, res: Response) => {
    if (!req.file) {
      res.status(422).render('imports/index', { ...page, error: 'Choose a CSV file to import.' });
      return;
    }
    try {
      const dryRun = await dryRunImport(
        db,
        editorOf(req).id as number,
        { name: req.file.originalname, content: req.file.buffer },
        maxBytes,
      );
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
