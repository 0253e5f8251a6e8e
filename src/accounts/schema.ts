import { z } from 'zod';
import { oneLine, required } from '../lib/input';
import { LIMITS } from '../lib/limits';
import { passwordProblem } from './password';
import type { Role } from './repo';

/** The roles an account can have, with the label the admin pages show. */
export const ROLES: Record<Role, string> = { analyst: 'Analyst', admin: 'Admin' };

/** Emails compare case-insensitively: stored and looked up in NFC lower case. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

export const emailField = oneLine(LIMITS.user.email)
  .transform(normaliseEmail)
  .pipe(z.email({ message: 'Enter an email address such as ana@example.org.' }));

export const passwordField = z
  .string({ message: 'This field is required.' })
  .max(LIMITS.user.password, `Use at most ${LIMITS.user.password} characters.`)
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const roleField = z.enum(['analyst', 'admin'], { message: 'Choose analyst or admin.' });

export const NewUserInput = z.object({
  email: emailField,
  display_name: required(oneLine(LIMITS.user.display_name), 'Enter the name other analysts will see.'),
  role: roleField,
  password: passwordField,
});
export type NewUserInput = z.output<typeof NewUserInput>;
