/**
 * Key generation that works around an ssh2 1.17 defect: about one ed25519 key in 200 that
 * `utils.generateKeyPairSync` produces cannot be parsed back by ssh2 itself ("Malformed OpenSSH
 * private/public key"). Every caller that makes keys goes through here.
 */
import ssh2 from 'ssh2';

const { utils } = ssh2;

/** An OpenSSH key pair both halves of which ssh2 can read. */
export type SshKeyPair = { readonly privateKey: string; readonly publicKey: string };

/** Generates a key pair, drawing again until ssh2 parses both halves. */
export function generateSshKeyPair(type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): SshKeyPair {
  for (let attempt = 0; attempt < 100; attempt++) {
    const pair =
      type === 'rsa'
        ? utils.generateKeyPairSync('rsa', { bits: 2048 })
        : type === 'ecdsa'
          ? utils.generateKeyPairSync('ecdsa', { bits: 256 })
          : utils.generateKeyPairSync('ed25519');
    if (utils.parseKey(pair.private) instanceof Error || utils.parseKey(pair.public) instanceof Error) continue;
    return { privateKey: pair.private, publicKey: pair.public };
  }
  throw new Error(`could not generate a readable ${type} key pair`);
}
