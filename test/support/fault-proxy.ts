import { connect, createServer, type Server, type Socket } from 'node:net';

type State = 'forwarding' | 'frozen' | 'killed';

/** One direction of one proxied connection: bytes read from `from`, written to `to`. */
class Flow {
  /** Bytes read while frozen, written on resume. */
  private held: Buffer[] = [];
  private endHeld = false;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly from: Socket,
    private readonly to: () => Socket | null,
    private readonly direction: 'up' | 'down',
  ) {
    from.on('data', (chunk: Buffer) => this.carry(chunk));
    from.on('end', () => {
      if (this.proxy.isFrozen()) this.endHeld = true;
      else this.to()?.end();
    });
  }

  private carry(chunk: Buffer): void {
    if (this.direction === 'up' && this.proxy.shouldFreezeOn(chunk)) this.proxy.freeze();
    if (this.proxy.isFrozen()) {
      this.held.push(chunk);
      this.from.pause();
      return;
    }
    this.to()?.write(chunk);
  }

  pause(): void {
    this.from.pause();
  }

  /** Writes what was held, in order, then lets bytes through again. */
  release(): void {
    const target = this.to();
    for (const chunk of this.held) target?.write(chunk);
    this.held = [];
    if (this.endHeld) target?.end();
    this.from.resume();
  }
}

/** A client connection and the connection to the server behind it. */
class Link {
  upstream: Socket | null = null;
  private readonly flows: Flow[] = [];
  private closeHeld = false;

  constructor(
    private readonly proxy: FaultProxy,
    readonly client: Socket,
    private readonly target: { host: string; port: number },
  ) {
    client.on('error', () => this.cut());
    // the app closed: the server sees it after the bytes sent before it
    client.on('close', () => {
      if (this.proxy.isFrozen()) this.closeHeld = true;
      else this.upstream?.end();
    });
    this.flows.push(new Flow(proxy, client, () => this.upstream, 'up'));
  }

  /** Opens the server side (not while frozen: a stopped server greets nobody). */
  open(): void {
    if (this.upstream) return;
    const upstream = connect(this.target);
    this.upstream = upstream;
    upstream.on('error', () => this.cut());
    upstream.on('close', () => this.cut());
    this.flows.push(new Flow(this.proxy, upstream, () => this.client, 'down'));
  }

  pause(): void {
    for (const flow of this.flows) flow.pause();
  }

  release(): void {
    this.open();
    for (const flow of this.flows) flow.release();
    if (this.closeHeld) this.upstream?.end();
  }

  cut(): void {
    this.client.destroy();
    this.upstream?.destroy();
    this.proxy.forget(this);
  }
}

/**
 * A TCP proxy between the app and a real server (MariaDB, Redis) that a test can break without
 * touching the server, which other tests share:
 * - `kill()` is a killed server: every connection is cut and new ones are refused;
 * - `freeze()` is a stopped one (SIGSTOP): connections stay open but nothing moves either way, and
 *   new connections are accepted and wait for a greeting that does not come;
 * - `resume()` is the server back at work: what a frozen proxy held is delivered, in order
 *   (including a client's close, which the server then sees after the bytes before it).
 */
export class FaultProxy {
  private state: State = 'forwarding';
  private readonly links = new Set<Link>();
  private server: Server;
  private freezeTrigger: ((chunk: Buffer) => boolean) | null = null;
  /** Connections accepted so far (a reconnect shows up here). */
  accepted = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  /** Starts forwarding a free local port to `target`. */
  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port');
    const proxy = new FaultProxy(target, address.port, server);
    server.on('connection', (client: Socket) => proxy.accept(client));
    return proxy;
  }

  /** `url` (mysql:// or redis://) pointed at this proxy instead of its own host and port. */
  route(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    parsed.search = '';
    return parsed.toString();
  }

  isFrozen(): boolean {
    return this.state === 'frozen';
  }

  /** Freezes the moment the app sends a chunk matching `trigger`, holding that chunk too. */
  freezeOn(trigger: (chunk: Buffer) => boolean): void {
    this.freezeTrigger = trigger;
  }

  shouldFreezeOn(chunk: Buffer): boolean {
    if (!this.freezeTrigger?.(chunk)) return false;
    this.freezeTrigger = null;
    return true;
  }

  freeze(): void {
    if (this.state !== 'forwarding') return;
    this.state = 'frozen';
    for (const link of this.links) link.pause();
  }

  /** Cuts every connection (what a frozen proxy held is lost) and refuses new ones. */
  async kill(): Promise<void> {
    this.state = 'killed';
    for (const link of [...this.links]) link.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forwards again: after a freeze, delivers what was held; after a kill, accepts again. */
  async resume(): Promise<void> {
    if (this.state === 'killed') {
      const server = createServer((client) => this.accept(client));
      await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
      this.server = server;
    }
    this.state = 'forwarding';
    for (const link of [...this.links]) link.release();
  }

  async close(): Promise<void> {
    if (this.state !== 'killed') await this.kill();
  }

  forget(link: Link): void {
    this.links.delete(link);
  }

  private accept(client: Socket): void {
    if (this.state === 'killed') {
      client.destroy();
      return;
    }
    this.accepted += 1;
    const link = new Link(this, client, this.target);
    this.links.add(link);
    if (this.state === 'frozen') link.pause();
    else link.open();
  }
}
