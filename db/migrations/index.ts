import type { Knex } from 'knex';
import * as initialSchema from './202611281200_initial_schema';
import * as accountsSessionsHistory from './202611281300_accounts_sessions_history';
import * as searchIndex from './202611281400_search_index';
import * as importBatches from './202611281500_import_batches';
import * as readPaths from './202611291100_read_paths';
import * as searchByRowid from './202611291400_search_by_rowid';
import * as importBatchStatus from './202611291410_import_batch_status';
import * as dataVersion from './202611291420_data_version';
import * as accountHistoryIndex from './202611291500_account_history_index';
import * as measuresInForce from './202611291600_measures_in_force';
import * as dataVersionPerStatement from './202611291700_data_version_per_statement';
import * as affectedTimeline from './202611291710_affected_timeline';
import * as vendorLinkDates from './202611291800_vendor_link_dates';
import * as eventCountsPerStatement from './202611291810_event_counts_per_statement';
import * as linkCopiesWhenStale from './202611291900_link_copies_when_stale';
import * as linkCopiesPerStatement from './202611301000_link_copies_per_statement';

/**
 * Every migration, oldest first. Names are recorded in `knex_migrations`;
 * a landed migration is never edited or renamed, only followed by a new one.
 */
export const migrations: ReadonlyArray<{ name: string; migration: Knex.Migration }> = [
  { name: '202611281200_initial_schema', migration: initialSchema },
  { name: '202611281300_accounts_sessions_history', migration: accountsSessionsHistory },
  { name: '202611281400_search_index', migration: searchIndex },
  { name: '202611281500_import_batches', migration: importBatches },
  { name: '202611291100_read_paths', migration: readPaths },
  { name: '202611291400_search_by_rowid', migration: searchByRowid },
  { name: '202611291410_import_batch_status', migration: importBatchStatus },
  { name: '202611291420_data_version', migration: dataVersion },
  { name: '202611291500_account_history_index', migration: accountHistoryIndex },
  { name: '202611291600_measures_in_force', migration: measuresInForce },
  { name: '202611291700_data_version_per_statement', migration: dataVersionPerStatement },
  { name: '202611291710_affected_timeline', migration: affectedTimeline },
  { name: '202611291800_vendor_link_dates', migration: vendorLinkDates },
  { name: '202611291810_event_counts_per_statement', migration: eventCountsPerStatement },
  { name: '202611291900_link_copies_when_stale', migration: linkCopiesWhenStale },
  { name: '202611301000_link_copies_per_statement', migration: linkCopiesPerStatement },
];
