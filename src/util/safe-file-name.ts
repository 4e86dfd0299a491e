/** File names derived from data (inventory host names, device names) that cannot leave their directory. */
import { createHash } from 'node:crypto';

/**
 * `name` as one path segment: anything but letters, digits, `.`, `_` and `-` becomes `_`, and a
 * leading dot is escaped, so `../x`, `/etc/x` or `a\b` stay inside the directory they are joined to.
 * A changed name gets a short hash of the original, so two names never share a file.
 */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_').slice(0, 100);
  if (cleaned === name && name !== '') return name;
  return `${cleaned}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}
