import { AppError } from './errors';

/**
 * Saving over a newer version: carries what is stored now, so the page can show it
 * beside what the analyst typed. Nothing was written.
 */
export class VersionConflict<T> extends AppError {
  constructor(readonly current: T) {
    super(409, 'version_conflict', 'Someone else saved a newer version while you were editing. Nothing was overwritten.');
  }
}
