/**
 * What pages read of the history. Revisions are written by each feature's write path in
 * its own transaction (history/repo); reading them needs no rule of its own, so pages
 * get the repo's reader through here and routes keep to routes -> service -> repo.
 */
export { listRevisions, type Revision } from './repo';
