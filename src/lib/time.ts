/** The current instant as the ISO 8601 UTC string stored in `created_at` / `updated_at`. */
export function nowIso(): string {
  return new Date().toISOString();
}
