import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Drainer {
  /**
   * Stops taking connections and lets every response in flight finish (a long export
   * included), closing each connection after its response. Resolves true when all
   * connections closed within the timeout, false when some had to be cut.
   */
  drain(timeoutMs: number): Promise<boolean>;
  readonly stopping: boolean;
}

/**
 * Counts requests per connection so a stop can close keep-alive connections as soon as
 * their last response is sent, instead of leaving them open until a timeout kills them.
 */
export function trackConnections(server: Server): Drainer {
  const inFlight = new Map<Socket, number>();
  const responses = new Set<ServerResponse>();
  let stopping = false;
  const askToClose = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  const closeIfIdle = (socket: Socket) => {
    if (stopping && !inFlight.get(socket)) socket.end();
  };

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  // Runs before express, so a request arriving on an open connection while stopping is told to close.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    responses.add(res);
    if (stopping) askToClose(res);
    res.once('close', () => {
      responses.delete(res);
      inFlight.set(socket, Math.max(0, (inFlight.get(socket) ?? 1) - 1));
      closeIfIdle(socket);
    });
  });

  return {
    get stopping() {
      return stopping;
    },
    drain(timeoutMs) {
      stopping = true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          // Out of time: cut what is left so the process can exit.
          for (const socket of inFlight.keys()) socket.destroy();
          resolve(false);
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve(true);
        });
        for (const res of responses) askToClose(res);
        for (const socket of inFlight.keys()) closeIfIdle(socket);
      });
    },
  };
}
