import argon2 from 'argon2';

/**
 * argon2id with the parameters of OWASP's password storage guidance (m=19 MiB, t=2, p=1): strong
 * enough for staff and subscriber portal accounts and cheap enough that a sign-in costs tens of milliseconds.
 */
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const minimumPasswordLength = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password. With no stored hash (unknown user name) it still spends the same effort on a
 * dummy hash, so response times do not reveal which user names exist.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword('dummy password for constant-time refusal');
    await argon2.verify(await dummyHash, password);
    return false;
  }
  try {
    return await argon2.verify(storedHash, password);
  } catch {
    return false;
  }
}
