/**
 * The one place passwords are hashed and checked: argon2id with OWASP's recommended minimum cost
 * (19 MiB, 2 passes, 1 lane). Used by sign-in, the admin screen, the CLI and the demo seed.
 */
import { hash, verify } from '@node-rs/argon2';

/** `algorithm: 2` is Argon2id (the package exports it as a const enum, which isolated modules cannot read). */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { MIN_PASSWORD_LENGTH } from './password-policy';

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash of a random string, checked when the email is unknown so both failures take about as long. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}
