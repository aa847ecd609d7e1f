/** Host names that always mean this machine: `localhost`, `127.x.x.x` and `[::1]`, with or without a port. */
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Whether a request's `Host` header names the emulator itself: a loopback name, or the address it was told to
 * listen on (`--host`). Anything else is refused, so a web page cannot reach the emulator (and the local API
 * keys) through a DNS name it points at 127.0.0.1 (DNS rebinding).
 */
export function isAllowedHost(host: string | undefined, listenHost: string): boolean {
  if (!host) {
    return false;
  }
  if (LOOPBACK_HOST.test(host)) {
    return true;
  }
  const bracketed = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  const name = host.replace(/:\d{1,5}$/, '');
  return name.toLowerCase() === bracketed.toLowerCase();
}

/** The message of the 403 answer to a request with a host name that is not allowed. */
export function hostNotAllowed(host: string | undefined): string {
  return `Forbidden: the local emulator only answers requests for localhost, 127.0.0.1 or [::1] (or the --host address), not Host '${host ?? ''}' (DNS rebinding protection)`;
}
