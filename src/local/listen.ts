import * as http from 'http';
import { AddressInfo } from 'net';

/** A listening server: its URL, and how to stop it. */
export interface Listening {
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Starts `server` on `host` and `port` (0 picks a free one); rejects when it cannot listen (e.g. the port is taken). */
export async function listen(server: http.Server, host: string, port: number = 0): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: listening } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${listening}`,
    close: () => new Promise(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
