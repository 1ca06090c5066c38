/**
 * The desktop app's SecretCodec: SIP passwords sealed with Electron's safeStorage (the OS keychain on
 * macOS, DPAPI on Windows, the Secret Service or KWallet on Linux). When the system offers no real
 * encryption (no keyring on Linux leaves only "basic_text", a fixed key), the app refuses to store a
 * password rather than write it as good as plain, and says what to do.
 */
import { safeStorage } from 'electron';
import { bytesFromSealed, SecretError, sealedFromBytes, type SecretCodec } from '../station/config/secrets';

export interface EncryptionStatus {
  available: boolean;
  /** What the operator should know when it is not. */
  reason: string | null;
}

export const NO_KEYRING =
  'cannot store the SIP password: this computer has no secret store to encrypt it with ' +
  '(on Linux, install and unlock a keyring such as gnome-keyring or KWallet, then start the app again); ' +
  'the password was not saved';

export function encryptionStatus(): EncryptionStatus {
  if (!safeStorage.isEncryptionAvailable()) return { available: false, reason: NO_KEYRING };
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return { available: false, reason: NO_KEYRING };
  return { available: true, reason: null };
}

/** Call after the app is ready: on Linux safeStorage knows its backend only then. */
export function safeStorageCodec(): SecretCodec {
  return {
    kind: 'encrypted',
    seal(plain) {
      const status = encryptionStatus();
      if (!status.available) throw new SecretError(status.reason!);
      return sealedFromBytes(safeStorage.encryptString(plain));
    },
    open(sealed) {
      const bytes = bytesFromSealed(sealed);
      if (!safeStorage.isEncryptionAvailable()) {
        throw new SecretError('is encrypted, and the secret store that can decrypt it is not available (is the keyring unlocked?)');
      }
      try {
        return safeStorage.decryptString(bytes);
      } catch {
        throw new SecretError('cannot be decrypted by this login\'s secret store (saved by another user or machine?); enter the password again');
      }
    },
  };
}
