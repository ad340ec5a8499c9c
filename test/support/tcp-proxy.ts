import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between the app and a real server (Redis, MariaDB) that a test can cut and
 * restore: the outage is the app's alone, and the shared server is never stopped.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private isCut = false;
  private isFrozen = false;

  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.relay(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Drops every open connection and hangs up on new ones until restore(). */
  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  /**
   * Keeps the connections open but passes nothing either way, as a server stopped with SIGSTOP
   * would. What is sent meanwhile is lost: cut() and restore() after it.
   */
  freeze(): void {
    this.isFrozen = true;
  }

  restore(): void {
    this.isCut = false;
    this.isFrozen = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, target: { host: string; port: number }): void {
    if (this.isCut) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // a cut connection's reset is the point, not a failure of the test
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      if (!this.isFrozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!this.isFrozen) client.write(chunk);
    });
  }
}
