import { isIP } from 'node:net';

/** Says whether `host` names only this machine (localhost, 127.0.0.0/8 or ::1). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') {
    return true;
  }
  if (isIP(host) === 4) {
    return host.startsWith('127.');
  }
  return host === '::1';
}
