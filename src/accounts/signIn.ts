import type { Db } from '../db/knex';
import { AppError } from '../lib/errors';
import { nowIso } from '../lib/time';
import { MAX_PASSWORD_LENGTH, type PasswordHasher } from './password';
import { countUsers, findCredentials, findUserById, insertUser, type User } from './repo';
import { normaliseEmail, NewUserInput } from './schema';
import { parseForm } from '../lib/input';
import { consumeSetupToken, createSetupToken, isSetupTokenValid } from './setupTokens';
import { accountKey, addressKey, countAttempt, forgiveAttempt, THROTTLE } from './throttle';

/** The one answer for an unknown email, a wrong password and a disabled account. */
export class SignInRefused extends AppError {
  constructor() {
    super(401, 'sign_in_refused', 'That email and password do not match an active account.');
  }
}

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export async function signIn(db: Db, hasher: PasswordHasher, input: { email: string; password: string; ip: string }): Promise<User> {
  const email = normaliseEmail(input.email).slice(0, 254);
  // No account has an empty or over-long password: refused before any hashing or counting.
  if (!email || !input.password || input.password.length > MAX_PASSWORD_LENGTH) throw new SignInRefused();
  const account = accountKey(email);
  const address = addressKey(input.ip);
  // Counted before the (slow) password check, so parallel guesses cannot pass the limit.
  const wait = Math.max(await countAttempt(db, account, THROTTLE.maxPerAccount), await countAttempt(db, address, THROTTLE.maxPerAddress));
  if (wait > 0) throw new TooManyAttempts(wait);

  const found = await findCredentials(db, email);
  // Hash even for an unknown account, so timing does not tell which emails exist.
  const ok = found ? await hasher.verify(input.password, found.passwordHash) : await hasher.verifyWithoutAccount(input.password);
  if (!found || !ok || found.user.disabled) throw new SignInRefused();
  await forgiveAttempt(db, account, address);
  return found.user;
}

/** The user behind a session, or null when the account is gone or disabled. */
export async function activeUser(db: Db, id: unknown): Promise<User | null> {
  if (typeof id !== 'number') return null;
  const user = await findUserById(db, id);
  return user && !user.disabled ? user : null;
}

/** When no account exists, a one-time setup token for the first admin; otherwise null. */
export async function setupTokenIfNeeded(db: Db): Promise<string | null> {
  return (await countUsers(db)) === 0 ? createSetupToken(db) : null;
}

export async function needsSetup(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export class AccountExists extends AppError {
  constructor() {
    super(410, 'setup_done', 'An account exists: sign in, or ask an admin for an account.');
  }
}

export class SetupLinkUsed extends AppError {
  constructor() {
    super(410, 'setup_token_used', 'This setup link has been used or is not valid.');
  }
}

/** Why the first-admin form cannot be used with this token, or null when it can. */
export async function setupRefusal(db: Db, token: string): Promise<AppError | null> {
  if (!(await needsSetup(db))) return new AccountExists();
  if (!(await isSetupTokenValid(db, token))) return new SetupLinkUsed();
  return null;
}

/**
 * Creates the first admin with a valid, unused setup token. Everything that can be refused
 * without the (slow) password hash is refused first, so anonymous posts cannot fill the hashers.
 */
export async function createFirstAdmin(db: Db, hasher: PasswordHasher, token: string, input: unknown): Promise<User> {
  const refusal = await setupRefusal(db, token);
  if (refusal) throw refusal;
  const data = parseForm(NewUserInput, { ...(input as object), role: 'admin' });
  const passwordHash = await hasher.hash(data.password);
  const id = await db.transaction(async (trx) => {
    // Checked again inside the transaction: another request may have won meanwhile.
    if ((await countUsers(trx)) > 0) throw new AccountExists();
    if (!(await consumeSetupToken(trx, token))) throw new SetupLinkUsed();
    return insertUser(trx, { email: data.email, displayName: data.display_name, role: 'admin', passwordHash, now: nowIso() });
  });
  return (await findUserById(db, id)) as User;
}
