package org.heard.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id password hashes (memory-hard), in the standard PHC string form that carries its own
 * salt and parameters. Hashing is deliberately slow: call it on a worker thread, never an event loop.
 */
public final class PasswordHasher {
  /** OWASP's minimum Argon2id setting: 19 MiB, 2 iterations, 1 lane. */
  private static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  public boolean matches(String password, String hash) {
    return hash != null && hash.startsWith("$argon2") && Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
  }
}
